import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import { BufferAndAvailability } from '../consumer/InputChannel';
import type { InputChannelID } from '../consumer/InputChannelID';
import { DataType } from '../memory/DataType';
import type { AvailabilityWithBacklog } from '../partition/ResultSubpartitionView';
import { AbstractNetworkSequenceViewReader } from './NetworkSequenceViewReader';
import type { PartitionRequestQueue } from './PartitionRequestQueue';

/**
 * Port of org.apache.flink.runtime.io.network.netty.CreditBasedSequenceNumberingViewReader (Flink 1.20).
 * Differs: one subpartition per reader; a data buffer polled without credit is recycled before the
 * "no credit available" error is thrown (Flink leaks it).
 *
 * The credit-based reader of one remote input channel (reference §2.2). It starts with the channel's
 * initial credit (its exclusive buffers) and gains more with each AddCredit; every **data** buffer sent
 * costs one credit, events are free. It is available when it has credit and the view has data, or when
 * the next buffer is an event — {@link getNextBuffer}'s `nextDataType` says the same thing about the
 * buffer after the polled one, so the queue keeps the reader registered exactly while it can send.
 * With initial credit 0 the receiver has no buffers of its own: while it also has no credit left the
 * queue announces the backlog instead ({@link needAnnounceBacklog}), so that it asks for floating buffers.
 *
 * ## Threading
 * Only the server channel's event loop; the availability callbacks re-dispatch there through the queue.
 *
 * ## Ownership
 * Each polled buffer reference goes to the caller (the queue hands it to a BufferResponse).
 *
 * @example
 * const reader = new CreditBasedSequenceNumberingViewReader(request.receiverId, request.credit, queue);
 * reader.requestSubpartitionViewOrRegisterListener(partitionManager, request.partitionId, request.startIndex);
 */
export class CreditBasedSequenceNumberingViewReader extends AbstractNetworkSequenceViewReader {
  private readonly initialCredit: number;
  /** Buffers the consumer has free for data. */
  private numCreditsAvailable: number;

  constructor(receiverId: InputChannelID, initialCredit: number, requestQueue: PartitionRequestQueue) {
    super(receiverId, requestQueue);
    if (!Number.isSafeInteger(initialCredit) || initialCredit < 0) {
      throw new IllegalArgumentException(`Initial credit must be non-negative, got ${initialCredit}.`);
    }
    this.initialCredit = initialCredit;
    this.numCreditsAvailable = initialCredit;
  }

  addCredit(creditDeltas: number): void {
    this.numCreditsAvailable += creditDeltas;
  }

  override resumeConsumption(): void {
    // Without exclusive buffers the consumer released its floating buffers while blocked (§2.4): the
    // credit they stood for is gone.
    if (this.initialCredit === 0) this.numCreditsAvailable = 0;
    super.resumeConsumption();
  }

  /** Available iff the next buffer is an event, or there is credit and data (must match {@link nextDataTypeOf}). */
  getAvailabilityAndBacklog(): AvailabilityWithBacklog {
    return this.availabilityAndBacklog(this.numCreditsAvailable > 0);
  }

  needAnnounceBacklog(): boolean {
    return this.initialCredit === 0 && this.numCreditsAvailable === 0;
  }

  getNextBuffer(): BufferAndAvailability | null {
    const next = this.view().getNextBuffer();
    if (next === null) return null;
    if (next.buffer.isBuffer() && --this.numCreditsAvailable < 0) {
      next.buffer.recycleBuffer();
      throw new IllegalStateException(`no credit available (receiver ${this.receiverId.toString()})`);
    }
    return new BufferAndAvailability(next.buffer, this.nextDataTypeOf(next.nextDataType), next.buffersInBacklog, next.sequenceNumber);
  }

  // The next buffer can be sent right away only if it is an event or there is credit for it.
  private nextDataTypeOf(nextDataType: DataType): DataType {
    return this.numCreditsAvailable > 0 || nextDataType.isEvent() ? nextDataType : DataType.NONE;
  }

  /** Credit left (tests). */
  getNumCreditsAvailable(): number {
    return this.numCreditsAvailable;
  }

  getInitialCredit(): number {
    return this.initialCredit;
  }

  /** Whether the view has data regardless of credit (Flink's hasBuffersAvailable, tests). */
  hasBuffersAvailable(): AvailabilityWithBacklog {
    return this.view().getAvailabilityAndBacklog(true);
  }

  override toString(): string {
    return `CreditBasedSequenceNumberingViewReader{receiverId=${this.receiverId.toString()}, numCreditsAvailable=${this.numCreditsAvailable}, isRegisteredAsAvailable=${this.isRegisteredAsAvailable()}}`;
  }
}
