import type { Future } from '@sluice/channel';
import { AvailabilityHelper, type AvailabilityProvider } from '../memory/AvailabilityProvider';
import type { BufferOrEvent } from './BufferOrEvent';
import type { InputChannel } from './InputChannel';
import type { InputChannelInfo } from './InputChannelInfo';

/**
 * Port of Flink's `PullingAsyncDataInput.EndOfDataStatus` (Flink 1.20): whether every channel of a gate
 * delivered `EndOfData`, and if so whether the producers asked to drain (`DRAIN`) or to stop.
 */
export type EndOfDataStatus = 'NOT_END_OF_DATA' | 'DRAINED' | 'STOPPED';

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.InputGate (Flink 1.20). Differs:
 * `getNext()` returns a promise — Flink's task thread blocks in it, Sluice's reader awaits it (it polls,
 * and awaits the availability future while nothing is queued); `pollNext()`/`getNext()` return `null`
 * instead of `Optional.empty()`; `setup()` returns a promise (exclusive buffers are requested
 * asynchronously); no task events (`sendTaskEvent`) and no channel-state recovery.
 *
 * The consumer side of a task's input: buffers and events from one or more input channels, in the order
 * the channels became available, fair between channels. A reader loops over {@link pollNext} while it
 * returns something and awaits {@link getAvailableFuture} when it returns `null`; {@link isFinished}
 * turns true after the last channel's `EndOfPartitionEvent`.
 *
 * Life cycle: construct, `setInputChannels` (SingleInputGate), `await setup()`, `requestPartitions()`,
 * read, `close()`.
 *
 * ## Threading
 * One JavaScript thread: the task's reads and the channels' notifications (producers, the network loop)
 * run on it one after the other, so Flink's locks (`inputChannelsWithData`, `requestLock`) become plain
 * program order. Availability futures complete inline, inside the notification that queued the first
 * channel; `await`ing them resumes the reader in a microtask.
 *
 * ## Ownership
 * Every buffer handed out in a {@link BufferOrEvent} carries one reference for the reader. `close()`
 * releases every channel (and with it every buffer still queued in them) and destroys the gate's pool.
 *
 * @example
 * await gate.setup();
 * gate.requestPartitions();
 * for (;;) {
 *   const next = gate.pollNext() ?? (await gate.getNext());
 *   if (next === null) break; // finished
 *   if (next.isBuffer()) { read(next.getBuffer()); next.getBuffer().recycleBuffer(); }
 * }
 * gate.close();
 */
export abstract class InputGate implements AvailabilityProvider {
  /** Available while at least one channel (or gate) is queued with data, or the gate is finished. */
  protected readonly availabilityHelper = new AvailabilityHelper();
  /** Available while a priority event is queued. */
  protected readonly priorityAvailabilityHelper = new AvailabilityHelper();

  /** Number of input channels (of all combined gates, for a union). */
  abstract getNumberOfInputChannels(): number;

  /** True once every channel delivered its `EndOfPartitionEvent`. */
  abstract isFinished(): boolean;

  /** Whether every channel delivered `EndOfData` (and whether to drain). */
  abstract hasReceivedEndOfData(): EndOfDataStatus;

  /**
   * The next buffer or event if one is queued now, else `null` (also once finished). Throws the error of a
   * failed channel, and `CancelTaskException` after `close()`.
   */
  abstract pollNext(): BufferOrEvent | null;

  /**
   * The next buffer or event, waiting for one if none is queued; `null` once the gate is finished. Flink
   * blocks here; this returns a promise (one per call — hot loops use {@link pollNext} and
   * {@link getAvailableFuture} instead). Rejects like {@link pollNext} throws.
   */
  async getNext(): Promise<BufferOrEvent | null> {
    for (;;) {
      const next = this.pollNext();
      if (next !== null) return next;
      if (this.isFinished()) return null;
      await this.getAvailableFuture();
    }
  }

  /** Unblocks the channel after an aligned checkpoint barrier (Flink's ResumeConsumption). */
  abstract resumeConsumption(channelInfo: InputChannelInfo): void;

  /** Tells the producer of the channel that all its records (before `EndOfData`) were processed. */
  abstract acknowledgeAllRecordsProcessed(channelInfo: InputChannelInfo): void;

  /** The channel with flat index `channelIndex` (`0 … getNumberOfInputChannels() - 1`). */
  abstract getChannel(channelIndex: number): InputChannel;

  /** The infos of all channels, by flat index. */
  getChannelInfos(): InputChannelInfo[] {
    const infos: InputChannelInfo[] = [];
    for (let i = 0; i < this.getNumberOfInputChannels(); i++) infos.push(this.getChannel(i).getChannelInfo());
    return infos;
  }

  /** Sets up the channels (exclusive buffers) and the gate's floating buffer pool. */
  abstract setup(): Promise<void>;

  /** Requests every channel's subpartition (once). */
  abstract requestPartitions(): void;

  /** Releases every channel and the buffer pool (idempotent); later reads throw `CancelTaskException`. */
  abstract close(): void;

  /** A future completed when data is queued (or the gate finished); the shared AVAILABLE future if now. */
  getAvailableFuture(): Future<void> {
    return this.availabilityHelper.getAvailableFuture();
  }

  isAvailable(): boolean {
    return this.availabilityHelper.isAvailable();
  }

  isApproximatelyAvailable(): boolean {
    return this.availabilityHelper.isApproximatelyAvailable();
  }

  /** A future completed when a priority event (e.g. an unaligned checkpoint barrier) is queued. */
  getPriorityEventAvailableFuture(): Future<void> {
    return this.priorityAvailabilityHelper.getAvailableFuture();
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.IndexedInputGate (Flink 1.20): an
 * {@link InputGate} with a fixed index within its task (the `gateIdx` of its channels' infos). A
 * {@link UnionInputGate} combines indexed gates.
 *
 * ## Threading
 * As {@link InputGate}.
 */
export abstract class IndexedInputGate extends InputGate {
  /** Index of this gate within the task. */
  abstract getGateIndex(): number;
}
