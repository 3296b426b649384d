import { SluiceError } from '@sluice/channel';

/** Base of the errors `EventSerializer` throws (code `SLUICE_EVENT_SERIALIZATION` unless a subclass says otherwise). */
export class EventSerializationException extends SluiceError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { code: 'SLUICE_EVENT_SERIALIZATION', ...options });
  }
}

/**
 * The bytes end before the event does: fewer than 4 bytes for the type id (Flink's "Incomplete event"),
 * or a body shorter than its fields.
 */
export class IncompleteEventException extends EventSerializationException {
  /** The event being decoded (`event` when not even the type id was complete). */
  readonly eventType: string;
  /** Bytes the next field needed. */
  readonly needed: number;
  /** Bytes that were left. */
  readonly available: number;
  /** Offset of the field in the serialized event. */
  readonly offset: number;

  constructor(eventType: string, needed: number, available: number, offset: number) {
    super(
      offset === 0
        ? `Incomplete event: ${available} byte(s), but an event starts with a 4-byte type id`
        : `Incomplete event: ${eventType} needs ${needed} more byte(s) at offset ${offset}, but only ${available} are left`,
      { code: 'SLUICE_INCOMPLETE_EVENT' },
    );
    this.eventType = eventType;
    this.needed = needed;
    this.available = available;
    this.offset = offset;
  }
}

/**
 * The bytes are not a valid event: an unknown type id (Flink's "Corrupt byte stream for event"), an
 * unknown enum code, or a value outside what Sluice supports (see the event classes).
 */
export class CorruptEventException extends EventSerializationException {
  /** The event type id read from the stream. */
  readonly typeId: number;

  constructor(typeId: number, detail: string) {
    super(`Corrupt byte stream for event: ${detail}`, { code: 'SLUICE_CORRUPT_EVENT' });
    this.typeId = typeId;
  }
}

/**
 * A custom event (type id 3: Java class name + body) whose class is not registered with
 * `EventSerializer.registerEventClass`, or an event class the serializer does not know.
 */
export class UnsupportedEventException extends EventSerializationException {
  /** The Java class name read from the stream, or the JS class name of the event being written. */
  readonly className: string;

  constructor(className: string, message: string) {
    super(message, { code: 'SLUICE_UNSUPPORTED_EVENT' });
    this.className = className;
  }
}
