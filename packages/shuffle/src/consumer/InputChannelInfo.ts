import { checkNonNegativeInt } from '../partition/AbstractID';

/**
 * Port of org.apache.flink.runtime.checkpoint.channel.InputChannelInfo (Flink 1.20). Differs: lives in
 * consumer/ (Flink keeps it with the checkpointing classes); adds {@link key} for `Map` keys.
 *
 * Identifies one input channel within a task: the index of its input gate and its index within the gate.
 * Every {@link BufferOrEvent} names the channel it came from with one of these; each channel owns exactly
 * one instance, so a reader may compare them with `===` as well as with {@link equals}.
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const info = new InputChannelInfo(0, 3);
 * perChannelState[info.getInputChannelIdx()]
 */
export class InputChannelInfo {
  private readonly gateIdx: number;
  private readonly inputChannelIdx: number;

  constructor(gateIdx: number, inputChannelIdx: number) {
    this.gateIdx = checkNonNegativeInt(gateIdx, 'gateIdx');
    this.inputChannelIdx = checkNonNegativeInt(inputChannelIdx, 'inputChannelIdx');
  }

  /** Index of the input gate within the task. */
  getGateIdx(): number {
    return this.gateIdx;
  }

  /** Index of the channel within its gate. */
  getInputChannelIdx(): number {
    return this.inputChannelIdx;
  }

  /** A string equal for equal infos (`"<gate>:<channel>"`). */
  key(): string {
    return `${this.gateIdx}:${this.inputChannelIdx}`;
  }

  equals(other: unknown): boolean {
    return other instanceof InputChannelInfo && other.gateIdx === this.gateIdx && other.inputChannelIdx === this.inputChannelIdx;
  }

  toString(): string {
    return `InputChannelInfo{gateIdx=${this.gateIdx}, inputChannelIdx=${this.inputChannelIdx}}`;
  }
}
