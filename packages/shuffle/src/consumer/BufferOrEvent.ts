import { IllegalStateException } from '@sluice/channel';
import type { AbstractEvent } from '../event/AbstractEvent';
import type { Buffer } from '../memory/Buffer';
import type { InputChannelInfo } from './InputChannelInfo';

/**
 * Port of org.apache.flink.runtime.io.network.partition.consumer.BufferOrEvent (Flink 1.20). Differs:
 * two static factories ({@link ofBuffer}, {@link ofEvent}) instead of two constructors; `getBuffer()` and
 * `getEvent()` throw when called on the other kind instead of returning null.
 *
 * What an {@link InputGate} hands out: either a buffer of serialized records or a deserialized event,
 * with the channel it came from and whether the gate has more to give right now (`moreAvailable`) — the
 * hint a reader uses to keep polling instead of waiting for the gate's availability future.
 *
 * ## Threading
 * Created and consumed on the task's thread (one JavaScript thread).
 *
 * ## Ownership
 * A buffer BufferOrEvent carries one reference to its buffer: the receiver recycles it
 * (`getBuffer().recycleBuffer()`) once it has read the records. An event BufferOrEvent holds no buffer
 * (the gate recycled it after deserializing).
 *
 * @example
 * const next = gate.pollNext();
 * if (next?.isBuffer()) {
 *   try { deserialize(next.getBuffer()); } finally { next.getBuffer().recycleBuffer(); }
 * } else if (next?.getEvent() instanceof CheckpointBarrier) { … }
 */
export class BufferOrEvent {
  private readonly buffer: Buffer | null;
  private readonly event: AbstractEvent | null;
  private readonly _hasPriority: boolean;
  private channelInfo: InputChannelInfo;
  private _moreAvailable: boolean;
  private readonly _morePriorityEvents: boolean;
  private readonly size: number;

  private constructor(
    buffer: Buffer | null,
    event: AbstractEvent | null,
    hasPriority: boolean,
    channelInfo: InputChannelInfo,
    moreAvailable: boolean,
    size: number,
    morePriorityEvents: boolean,
  ) {
    this.buffer = buffer;
    this.event = event;
    this._hasPriority = hasPriority;
    this.channelInfo = channelInfo;
    this._moreAvailable = moreAvailable;
    this.size = size;
    this._morePriorityEvents = morePriorityEvents;
  }

  /** A data buffer from `channelInfo` (one reference handed to the receiver). */
  static ofBuffer(buffer: Buffer, channelInfo: InputChannelInfo, moreAvailable: boolean, morePriorityEvents: boolean): BufferOrEvent {
    return new BufferOrEvent(buffer, null, buffer.getDataType().hasPriority(), channelInfo, moreAvailable, buffer.getSize(), morePriorityEvents);
  }

  /** A deserialized event from `channelInfo`; `size` is the number of bytes it occupied. */
  static ofEvent(
    event: AbstractEvent,
    hasPriority: boolean,
    channelInfo: InputChannelInfo,
    moreAvailable: boolean,
    size: number,
    morePriorityEvents: boolean,
  ): BufferOrEvent {
    return new BufferOrEvent(null, event, hasPriority, channelInfo, moreAvailable, size, morePriorityEvents);
  }

  /** True for a data buffer. */
  isBuffer(): boolean {
    return this.buffer !== null;
  }

  /** True for an event. */
  isEvent(): boolean {
    return this.event !== null;
  }

  /** The buffer; throws `IllegalStateException` for an event. */
  getBuffer(): Buffer {
    if (this.buffer === null) throw new IllegalStateException(`${this.toString()} is an event, not a buffer`);
    return this.buffer;
  }

  /** The event; throws `IllegalStateException` for a buffer. */
  getEvent(): AbstractEvent {
    if (this.event === null) throw new IllegalStateException(`${this.toString()} is a buffer, not an event`);
    return this.event;
  }

  /** The channel this came from. */
  getChannelInfo(): InputChannelInfo {
    return this.channelInfo;
  }

  /** Re-labels the channel (used by gates that combine other gates). */
  setChannelInfo(channelInfo: InputChannelInfo): void {
    this.channelInfo = channelInfo;
  }

  /** True if the gate that produced this had more data queued at that moment. */
  moreAvailable(): boolean {
    return this._moreAvailable;
  }

  /** Sets {@link moreAvailable} (used by gates that combine other gates). */
  setMoreAvailable(moreAvailable: boolean): void {
    this._moreAvailable = moreAvailable;
  }

  /** True if more priority events were queued at that moment. */
  morePriorityEvents(): boolean {
    return this._morePriorityEvents;
  }

  /** True if this is a priority event (or a prioritized buffer). */
  hasPriority(): boolean {
    return this._hasPriority;
  }

  /** Bytes: the buffer's size, or the serialized event's size. */
  getSize(): number {
    return this.size;
  }

  toString(): string {
    const what = this.buffer !== null ? `buffer(${this.size} bytes)` : `event(${String(this.event)})`;
    return `BufferOrEvent [${what}, channelInfo = ${this.channelInfo.toString()}, size = ${this.size}${this._hasPriority ? ', priority' : ''}]`;
  }
}
