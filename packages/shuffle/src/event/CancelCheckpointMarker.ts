import { UnsupportedOperationException, type ByteBuf } from '@sluice/channel';
import { RuntimeEvent } from './AbstractEvent';
import { checkSafeLong } from './CheckpointBarrier';

/**
 * Port of org.apache.flink.runtime.io.network.api.CancelCheckpointMarker (Flink 1.20). Differs: the id is
 * a safe-integer JS number (see {@link CheckpointBarrier}).
 *
 * Tells downstream tasks that checkpoint `checkpointId` was aborted: they stop aligning for it and
 * release what they buffered. 12 bytes on the wire (type id 4, long id).
 *
 * ## Threading
 * Immutable; any thread.
 */
export class CancelCheckpointMarker extends RuntimeEvent {
  private readonly checkpointId: number;

  constructor(checkpointId: number) {
    super();
    checkSafeLong(checkpointId, 'checkpoint id');
    this.checkpointId = checkpointId;
  }

  getCheckpointId(): number {
    return this.checkpointId;
  }

  override write(_out: ByteBuf): void {
    throw new UnsupportedOperationException('This method should never be called: EventSerializer writes CancelCheckpointMarkers');
  }

  override read(_input: ByteBuf): void {
    throw new UnsupportedOperationException('This method should never be called: EventSerializer reads CancelCheckpointMarkers');
  }

  override equals(other: unknown): boolean {
    return other instanceof CancelCheckpointMarker && other.checkpointId === this.checkpointId;
  }

  override toString(): string {
    return `CancelCheckpointMarker ${this.checkpointId}`;
  }
}
