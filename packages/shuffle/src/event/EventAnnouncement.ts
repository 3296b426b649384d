import { IllegalArgumentException } from '@sluice/channel';
import { AbstractEvent, RuntimeEvent } from './AbstractEvent';

/**
 * Port of org.apache.flink.runtime.io.network.api.EventAnnouncement (Flink 1.20).
 *
 * Announces, at the head of a channel (as a priority event), that an event — a timeoutable aligned
 * barrier — is queued at position `sequenceNumber`; the receiver can then react early, e.g. time the
 * barrier out and convert it to an unaligned one. Wire: type id 6, int sequence number, the serialized
 * announced event.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class EventAnnouncement extends RuntimeEvent {
  private readonly announcedEvent: AbstractEvent;
  private readonly sequenceNumber: number;

  /** @param sequenceNumber the announced event's sequence number in the channel (int32) */
  constructor(announcedEvent: AbstractEvent, sequenceNumber: number) {
    super();
    if (!(announcedEvent instanceof AbstractEvent)) throw new IllegalArgumentException('announcedEvent must be an AbstractEvent');
    if ((sequenceNumber | 0) !== sequenceNumber) throw new IllegalArgumentException(`sequenceNumber: ${sequenceNumber} (expected: an int32)`);
    this.announcedEvent = announcedEvent;
    this.sequenceNumber = sequenceNumber;
  }

  getAnnouncedEvent(): AbstractEvent {
    return this.announcedEvent;
  }

  getSequenceNumber(): number {
    return this.sequenceNumber;
  }

  override equals(other: unknown): boolean {
    return (
      other instanceof EventAnnouncement &&
      other.sequenceNumber === this.sequenceNumber &&
      this.announcedEvent.equals(other.announcedEvent)
    );
  }

  override toString(): string {
    return `Announcement of [${String(this.announcedEvent)}] at ${this.sequenceNumber}`;
  }
}
