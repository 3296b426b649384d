import { BufferAndAvailability } from '../consumer/InputChannel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { AvailabilityWithBacklog } from '../partition/ResultSubpartitionView';
import { AbstractNetworkSequenceViewReader } from './NetworkSequenceViewReader';
import type { PartitionRequestQueue } from './PartitionRequestQueue';

/**
 * Port of org.apache.flink.runtime.io.network.netty.SequenceNumberingViewReader (Flink 1.4, the reader of
 * the pre-credit "push" protocol). Differs: availability comes from the view
 * (`getAvailabilityAndBacklog(true)`) instead of Flink 1.4's counter of buffers-available notifications,
 * and the sequence number is the subpartition's (the same numbering); it shares the 1.20 reader's
 * partition-request listener and blocking (ResumeConsumption) support.
 *
 * The push-mode reader of one remote input channel: no credit at all. It is available whenever the view
 * has something to send, and the queue sends as fast as the TCP channel stays writable; the consumer
 * protects itself by stopping to read the whole connection (autoRead off) when it runs out of buffers.
 * AddCredit is ignored; no backlog is ever announced.
 *
 * ## Threading
 * Only the server channel's event loop; the availability callbacks re-dispatch there through the queue.
 *
 * ## Ownership
 * Each polled buffer reference goes to the caller.
 */
export class SequenceNumberingViewReader extends AbstractNetworkSequenceViewReader {
  constructor(receiverId: InputChannelID, requestQueue: PartitionRequestQueue) {
    super(receiverId, requestQueue);
  }

  /** Push mode has no credit: ignored. */
  addCredit(_creditDeltas: number): void {}

  getAvailabilityAndBacklog(): AvailabilityWithBacklog {
    return this.availabilityAndBacklog(true);
  }

  needAnnounceBacklog(): boolean {
    return false;
  }

  getNextBuffer(): BufferAndAvailability | null {
    const next = this.view().getNextBuffer();
    if (next === null) return null;
    return new BufferAndAvailability(next.buffer, next.nextDataType, next.buffersInBacklog, next.sequenceNumber);
  }

  override toString(): string {
    return `SequenceNumberingViewReader{receiverId=${this.receiverId.toString()}, isRegisteredAsAvailable=${this.isRegisteredAsAvailable()}}`;
  }
}
