import { InternalLoggerFactory, type ScheduledFuture } from '@sluice/channel';
import type { InputChannelID } from '../consumer/InputChannelID';
import type { PartitionRequestListener, PartitionRequestListenerProvider } from '../partition/PartitionRequestListener';
import type { ResultPartition } from '../partition/ResultPartition';
import type { ResultPartitionID } from '../partition/ResultPartitionID';
import type { NetworkSequenceViewReader } from './NetworkSequenceViewReader';
import type { PartitionRequestQueue } from './PartitionRequestQueue';

const logger = InternalLoggerFactory.getInstance('NettyPartitionRequestListener');

/**
 * Port of org.apache.flink.runtime.io.network.netty.NettyPartitionRequestListener (Flink 1.20). Differs:
 * owns its timeout timer, scheduled on the server channel's event loop through the
 * {@link PartitionRequestQueue} (Flink's manager scans creation timestamps periodically); a failure to
 * create the view once the partition registers is answered to this receiver instead of thrown into the
 * producer's `setup()`.
 *
 * The waiting half of a partition request whose partition was not registered when the request arrived:
 * on registration it makes its reader create the view; on timeout (or release of the partition) the
 * queue answers PartitionNotFound for the receiver.
 *
 * ## Threading
 * One JavaScript thread: the timer runs on the channel's event loop, `notifyPartitionCreated` inside the
 * producer's `partition.setup()`.
 */
export class NettyPartitionRequestListener implements PartitionRequestListener {
  private timeout: ScheduledFuture<void> | null = null;
  /** Notified, timed out or released: later calls do nothing. */
  private done = false;

  constructor(
    private readonly resultPartitionProvider: PartitionRequestListenerProvider,
    private readonly reader: NetworkSequenceViewReader,
    private readonly subpartitionIndex: number,
    private readonly resultPartitionId: ResultPartitionID,
    private readonly requestQueue: PartitionRequestQueue,
  ) {}

  getResultPartitionId(): ResultPartitionID {
    return this.resultPartitionId;
  }

  getReceiverId(): InputChannelID {
    return this.reader.getReceiverId();
  }

  getViewReader(): NetworkSequenceViewReader {
    return this.reader;
  }

  getSubpartitionIndex(): number {
    return this.subpartitionIndex;
  }

  notifyPartitionCreated(partition: ResultPartition): void {
    if (!this.finish()) return;
    try {
      this.reader.notifySubpartitionCreated(partition, this.subpartitionIndex);
    } catch (err) {
      const cause = err instanceof Error ? err : new Error(String(err));
      logger.debug(`Creating the view of subpartition ${this.subpartitionIndex} of ${partition.toString()} for ${this.getReceiverId().toString()} failed.`, cause);
      this.requestQueue.notifyReaderFailed(this.reader, cause);
    }
  }

  notifyPartitionCreatedTimeout(): void {
    if (!this.finish()) return;
    this.reader.notifyPartitionRequestTimeout(this);
  }

  releaseListener(): void {
    if (!this.finish()) return;
    this.resultPartitionProvider.releasePartitionRequestListener(this);
  }

  scheduleTimeout(timeoutMs: number, onTimeout: () => void): void {
    if (this.done || this.timeout !== null) return;
    this.timeout = this.requestQueue.schedule(onTimeout, timeoutMs);
  }

  /** Marks the listener done and cancels the timer; false if it was done already. */
  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    const timeout = this.timeout;
    this.timeout = null;
    if (timeout !== null) timeout.cancel();
    return true;
  }

  toString(): string {
    return `NettyPartitionRequestListener{${this.resultPartitionId.toString()}:${this.subpartitionIndex}, receiverId=${this.getReceiverId().toString()}}`;
  }
}
