import { IllegalArgumentException } from '@sluice/channel';
import { RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.api.SubtaskConnectionDescriptor (Flink 1.20).
 *
 * Selects the virtual channel for the following records during unaligned-checkpoint recovery after a
 * rescale: which old input subtask and output subtask the recovered data belongs to. 12 bytes on the
 * wire (type id 7, int input subtask index, int output subtask index).
 *
 * ## Threading
 * Immutable; any thread.
 */
export class SubtaskConnectionDescriptor extends RuntimeEvent {
  private readonly inputSubtaskIndex: number;
  private readonly outputSubtaskIndex: number;

  /** Both indices are int32. */
  constructor(inputSubtaskIndex: number, outputSubtaskIndex: number) {
    super();
    for (const [name, v] of [['inputSubtaskIndex', inputSubtaskIndex], ['outputSubtaskIndex', outputSubtaskIndex]] as const) {
      if ((v | 0) !== v) throw new IllegalArgumentException(`${name}: ${v} (expected: an int32)`);
    }
    this.inputSubtaskIndex = inputSubtaskIndex;
    this.outputSubtaskIndex = outputSubtaskIndex;
  }

  getInputSubtaskIndex(): number {
    return this.inputSubtaskIndex;
  }

  getOutputSubtaskIndex(): number {
    return this.outputSubtaskIndex;
  }

  override equals(other: unknown): boolean {
    return (
      other instanceof SubtaskConnectionDescriptor &&
      other.inputSubtaskIndex === this.inputSubtaskIndex &&
      other.outputSubtaskIndex === this.outputSubtaskIndex
    );
  }

  override toString(): string {
    return `SubtaskConnectionDescriptor{inputSubtaskIndex=${this.inputSubtaskIndex}, outputSubtaskIndex=${this.outputSubtaskIndex}}`;
  }
}
