import { UnsupportedOperationException, type ByteBuf } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.event.AbstractEvent (Flink 1.20). Differs: `write`/`read` take a
 * `ByteBuf` (big-endian, like Java's DataOutput) and are only used for custom events (type id 3, see
 * `EventSerializer.registerEventClass`); events have `equals` instead of `hashCode`/`equals`.
 *
 * The base of everything that travels through the network stack besides records: runtime events
 * (end of partition, checkpoint barriers …) and task events (iteration synchronisation).
 *
 * ## Threading
 * Events are immutable values (custom events should be too); any thread.
 */
export abstract class AbstractEvent {
  /** Writes the body of a custom event (after its class name). Built-in events never call this. */
  write(_out: ByteBuf): void {
    throw new UnsupportedOperationException(`${this.constructor.name} has no custom serialization; override write() and read()`);
  }

  /** Reads the body written by {@link write} into this (empty) instance. */
  read(_input: ByteBuf): void {
    throw new UnsupportedOperationException(`${this.constructor.name} has no custom serialization; override write() and read()`);
  }

  /** Value equality (identity unless overridden). */
  equals(other: unknown): boolean {
    return this === other;
  }
}

/** Port of org.apache.flink.runtime.event.RuntimeEvent (Flink 1.20): events of the runtime itself. */
export abstract class RuntimeEvent extends AbstractEvent {}

/** Port of org.apache.flink.runtime.event.TaskEvent (Flink 1.20): events exchanged between tasks (sent backwards). */
export abstract class TaskEvent extends AbstractEvent {}
