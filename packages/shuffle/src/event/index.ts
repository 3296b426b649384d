// Public API of the event layer (Flink's io.network.api events and EventSerializer), re-exported by the package entry.
export { AbstractEvent, RuntimeEvent, TaskEvent } from './AbstractEvent';
export { EndOfPartitionEvent } from './EndOfPartitionEvent';
export { EndOfSuperstepEvent } from './EndOfSuperstepEvent';
export { EndOfChannelStateEvent } from './EndOfChannelStateEvent';
export { EndOfSegmentEvent } from './EndOfSegmentEvent';
export type { SnapshotType } from './SnapshotType';
export { CheckpointType } from './CheckpointType';
export { SavepointType, SavepointFormatType, PostCheckpointAction } from './SavepointType';
export { CheckpointStorageLocationReference } from './CheckpointStorageLocationReference';
export { CheckpointOptions, AlignmentType, ALIGNMENT_TYPES } from './CheckpointOptions';
export { CheckpointBarrier } from './CheckpointBarrier';
export { CancelCheckpointMarker } from './CancelCheckpointMarker';
export { StopMode, STOP_MODES } from './StopMode';
export { EndOfData } from './EndOfData';
export { EventAnnouncement } from './EventAnnouncement';
export { SubtaskConnectionDescriptor } from './SubtaskConnectionDescriptor';
export { EventSerializer, type EventClass } from './EventSerializer';
export {
  EventSerializationException,
  IncompleteEventException,
  CorruptEventException,
  UnsupportedEventException,
} from './errors';
