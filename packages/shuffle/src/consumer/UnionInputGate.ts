import { IllegalArgumentException, IllegalStateException, InternalLoggerFactory } from '@sluice/channel';
import { EndOfPartitionEvent } from '../event/EndOfPartitionEvent';
import { AvailabilityHelper } from '../memory/AvailabilityProvider';
import type { BufferOrEvent } from './BufferOrEvent';
import { CancelTaskException } from './errors';
import type { InputChannel } from './InputChannel';
import type { InputChannelInfo } from './InputChannelInfo';
import { InputGate, type EndOfDataStatus, type IndexedInputGate } from './InputGate';
import { PrioritizedIndexQueue } from './PrioritizedIndexQueue';

const logger = InternalLoggerFactory.getInstance('UnionInputGate');

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.UnionInputGate (Flink 1.20). Differs:
 * `getNext()` returns a promise (see {@link InputGate}); the queue of gates with data holds positions in
 * a {@link PrioritizedIndexQueue}; each gate's availability listeners are created once and registered at
 * most once at a time (Flink re-registers `thenRun` callbacks); a gate's priority listener is renewed
 * when the union next polls that gate, not inside the notification (that would recurse while the
 * priority future stays completed).
 *
 * Combines several {@link IndexedInputGate}s (e.g. the two inputs of a join, or several results read by
 * one task) into one input. It listens to each gate's availability future and queues a gate that has
 * data; {@link pollNext} takes the head gate, polls one buffer or event from it and, if that gate has more,
 * queues it again **at the tail** — fair between gates as each gate is fair between its channels.
 * Channel infos are left as the gates made them (`gateIdx` tells the gates apart). The union is finished
 * when every gate is.
 *
 * ## Threading
 * One JavaScript thread; gate availability futures complete inline and run the union's listeners there.
 *
 * ## Ownership
 * Passes the gates' BufferOrEvents through (buffers carry one reference for the reader). `close()` closes
 * every gate.
 *
 * @example
 * const union = new UnionInputGate(gate0, gate1);
 * await union.setup();
 * union.requestPartitions();
 * for (let next = await union.getNext(); next !== null; next = await union.getNext()) { … }
 * union.close();
 */
export class UnionInputGate extends InputGate {
  private readonly inputGates: readonly IndexedInputGate[];
  private readonly inputGatesByGateIndex = new Map<number, IndexedInputGate>();
  private readonly channelIndexOffsets: Int32Array;
  private readonly totalNumberOfInputChannels: number;
  private readonly inputGatesWithData: PrioritizedIndexQueue;
  private readonly finishedGates: Uint8Array;
  private numberOfFinishedGates = 0;
  private readonly listeningForData: Uint8Array;
  private readonly listeningForPriority: Uint8Array;
  private readonly dataListeners: (() => void)[];
  private readonly priorityListeners: (() => void)[];
  private requestedPartitionsFlag = false;
  private closed = false;

  constructor(...inputGates: IndexedInputGate[]) {
    super();
    if (inputGates.length < 2) {
      throw new IllegalArgumentException(`Union input gate should union at least two input gates (got ${inputGates.length}).`);
    }
    this.inputGates = inputGates;
    const n = inputGates.length;
    this.channelIndexOffsets = new Int32Array(n);
    this.inputGatesWithData = new PrioritizedIndexQueue(n);
    this.finishedGates = new Uint8Array(n);
    this.listeningForData = new Uint8Array(n);
    this.listeningForPriority = new Uint8Array(n);
    let channels = 0;
    for (let i = 0; i < n; i++) {
      const gate = inputGates[i]!;
      if (gate instanceof UnionInputGate) throw new IllegalArgumentException('Cannot union a union of input gates.');
      const gateIndex = gate.getGateIndex();
      if (this.inputGatesByGateIndex.has(gateIndex)) {
        throw new IllegalArgumentException(`Two of the unioned input gates have the gate index ${gateIndex}; gate indices must be unique within a task.`);
      }
      this.inputGatesByGateIndex.set(gateIndex, gate);
      this.channelIndexOffsets[i] = channels;
      channels += gate.getNumberOfInputChannels();
      if (gate.isFinished()) {
        this.finishedGates[i] = 1;
        this.numberOfFinishedGates++;
      }
    }
    this.totalNumberOfInputChannels = channels;
    this.dataListeners = inputGates.map((_, i) => () => {
      this.listeningForData[i] = 0;
      this.queueInputGate(i, false);
    });
    this.priorityListeners = inputGates.map((_, i) => () => {
      this.listeningForPriority[i] = 0;
      this.queueInputGate(i, true);
    });
    if (this.isFinished()) this.markAvailable();
    for (let i = 0; i < n; i++) {
      this.listenForData(i);
      this.listenForPriority(i);
    }
  }

  // ---------------------------------------------------------------- properties

  getNumberOfInputChannels(): number {
    return this.totalNumberOfInputChannels;
  }

  isFinished(): boolean {
    return this.numberOfFinishedGates === this.inputGates.length;
  }

  hasReceivedEndOfData(): EndOfDataStatus {
    let allDrained = true;
    for (const gate of this.inputGates) {
      const status = gate.hasReceivedEndOfData();
      if (status === 'NOT_END_OF_DATA') return 'NOT_END_OF_DATA';
      allDrained &&= status === 'DRAINED';
    }
    return allDrained ? 'DRAINED' : 'STOPPED';
  }

  /** The channel with flat index `channelIndex` (the gates' channels one after the other). */
  getChannel(channelIndex: number): InputChannel {
    if (Number.isSafeInteger(channelIndex) && channelIndex >= 0) {
      for (let i = this.inputGates.length - 1; i >= 0; i--) {
        const offset = this.channelIndexOffsets[i]!;
        if (channelIndex >= offset) {
          const local = channelIndex - offset;
          if (local < this.inputGates[i]!.getNumberOfInputChannels()) return this.inputGates[i]!.getChannel(local);
          break;
        }
      }
    }
    throw new IllegalArgumentException(`channelIndex: ${channelIndex} (expected: 0-${this.totalNumberOfInputChannels - 1})`);
  }

  /** The combined gates, in union order. */
  getInputGates(): readonly IndexedInputGate[] {
    return this.inputGates;
  }

  /** The combined gate with `gateIndex`. */
  getInputGate(gateIndex: number): IndexedInputGate {
    const gate = this.inputGatesByGateIndex.get(gateIndex);
    if (gate === undefined) throw new IllegalArgumentException(`${this.toString()}: no input gate with index ${gateIndex}`);
    return gate;
  }

  // ---------------------------------------------------------------- life cycle

  async setup(): Promise<void> {
    for (const gate of this.inputGates) await gate.setup();
  }

  requestPartitions(): void {
    if (this.requestedPartitionsFlag) return;
    for (const gate of this.inputGates) gate.requestPartitions();
    this.requestedPartitionsFlag = true;
  }

  /** Closes every gate (idempotent); later reads throw `CancelTaskException`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    let failure: unknown = null;
    for (const gate of this.inputGates) {
      try {
        gate.close();
      } catch (err) {
        logger.warn(`${this.toString()}: error closing ${gate.toString()}`, err);
        failure ??= err;
      }
    }
    this.inputGatesWithData.clear();
    this.markAvailable();
    if (failure !== null) throw failure;
  }

  // ---------------------------------------------------------------- consume

  pollNext(): BufferOrEvent | null {
    if (this.isFinished()) return null;
    if (this.closed) throw new CancelTaskException(`${this.toString()}: Input gate is already closed.`);
    const queue = this.inputGatesWithData;
    for (;;) {
      const i = queue.poll();
      if (i < 0) {
        this.availabilityHelper.resetUnavailable();
        return null;
      }
      const gate = this.inputGates[i]!;
      const next = gate.pollNext();
      this.listenForPriority(i);
      if (next === null) {
        this.listenForData(i);
        continue;
      }
      if (next.moreAvailable()) {
        // Re-queue a gate with more data at the TAIL: no gate starves the others.
        queue.add(i, next.morePriorityEvents());
      } else if (!gate.isFinished()) {
        this.listenForData(i);
      }
      const morePriorityEvents = queue.getNumPriorityElements() > 0;
      if (next.hasPriority() && !morePriorityEvents) this.priorityAvailabilityHelper.resetUnavailable();
      if (next.isEvent() && next.getEvent() === EndOfPartitionEvent.INSTANCE && gate.isFinished()) {
        if (next.moreAvailable()) throw new IllegalStateException(`${gate.toString()} finished but reported more data`);
        if (this.finishedGates[i] === 0) {
          this.finishedGates[i] = 1;
          this.numberOfFinishedGates++;
        }
      }
      if (queue.isEmpty()) this.availabilityHelper.resetUnavailable();
      if (this.isFinished()) {
        this.markAvailable();
      } else if (!next.moreAvailable() && !queue.isEmpty()) {
        next.setMoreAvailable(true);
      }
      return next;
    }
  }

  resumeConsumption(channelInfo: InputChannelInfo): void {
    this.getInputGate(channelInfo.getGateIdx()).resumeConsumption(channelInfo);
  }

  acknowledgeAllRecordsProcessed(channelInfo: InputChannelInfo): void {
    this.getInputGate(channelInfo.getGateIdx()).acknowledgeAllRecordsProcessed(channelInfo);
  }

  // ---------------------------------------------------------------- gate notifications

  private listenForData(i: number): void {
    if (this.listeningForData[i] !== 0 || this.finishedGates[i] !== 0) return;
    this.listeningForData[i] = 1;
    // Runs inline if the gate is available right now.
    this.inputGates[i]!.getAvailableFuture().addListener(this.dataListeners[i]!);
  }

  private listenForPriority(i: number): void {
    if (this.listeningForPriority[i] !== 0 || this.finishedGates[i] !== 0) return;
    const future = this.inputGates[i]!.getPriorityEventAvailableFuture();
    if (future.isDone()) {
      // Still signalled from an event not polled yet: queue with priority, renew on the next poll.
      this.queueInputGate(i, true);
      return;
    }
    this.listeningForPriority[i] = 1;
    future.addListener(this.priorityListeners[i]!);
  }

  private queueInputGate(i: number, priority: boolean): void {
    if (this.closed || this.finishedGates[i] !== 0 || this.inputGates[i]!.isFinished()) return;
    const queue = this.inputGatesWithData;
    if (queue.contains(i) && (!priority || queue.containsPriorityElement(i))) return;
    queue.add(i, priority);
    if (priority && queue.getNumPriorityElements() === 1) {
      AvailabilityHelper.complete(this.priorityAvailabilityHelper.getUnavailableToResetAvailable());
    }
    if (queue.size() === 1) this.markAvailable();
  }

  private markAvailable(): void {
    AvailabilityHelper.complete(this.availabilityHelper.getUnavailableToResetAvailable());
  }

  override toString(): string {
    return `UnionInputGate{${this.inputGates.map((g) => g.toString()).join(', ')}}`;
  }
}
