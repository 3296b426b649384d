import { AbstractID } from '../partition/AbstractID';

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.InputChannelID (Flink 1.20). Differs:
 * adds {@link key} (a cached string of the id's words) because JavaScript `Map`s compare objects by identity.
 *
 * The id of a remote input channel: the receiver id every credit-based message carries (PartitionRequest,
 * AddCredit, BufferResponse …). A 16-byte {@link AbstractID}; on the wire the **lower part, then the
 * upper part**, both big-endian longs (reference §1.2).
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const id = InputChannelID.random();
 * id.writeTo(out);                               // 16 bytes
 * InputChannelID.fromByteBuf(in).equals(id);     // true
 * channelsById.set(id.key(), channel);
 */
export class InputChannelID extends AbstractID {
  private cachedKey: string | undefined;

  /** A string equal exactly for equal ids, for `Map` keys (not the hex string: cheaper to build). */
  key(): string {
    return (this.cachedKey ??= this.wordsKey());
  }
}
