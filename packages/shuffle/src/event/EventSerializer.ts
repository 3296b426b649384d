import { Buffer as NodeBuffer } from 'node:buffer';
import { IllegalArgumentException, Unpooled, type ByteBuf } from '@sluice/channel';
import type { Buffer } from '../memory/Buffer';
import { BufferConsumer } from '../memory/BufferConsumer';
import { DataType } from '../memory/DataType';
import { FreeingBufferRecycler } from '../memory/FreeingBufferRecycler';
import { MemorySegmentFactory } from '../memory/MemorySegmentFactory';
import { NetworkBuffer } from '../memory/NetworkBuffer';
import type { AbstractEvent } from './AbstractEvent';
import { CancelCheckpointMarker } from './CancelCheckpointMarker';
import { CheckpointBarrier } from './CheckpointBarrier';
import { ALIGNMENT_TYPES, CheckpointOptions } from './CheckpointOptions';
import { CheckpointStorageLocationReference } from './CheckpointStorageLocationReference';
import { CheckpointType } from './CheckpointType';
import { EndOfChannelStateEvent } from './EndOfChannelStateEvent';
import { EndOfData } from './EndOfData';
import { EndOfPartitionEvent } from './EndOfPartitionEvent';
import { EndOfSegmentEvent } from './EndOfSegmentEvent';
import { EndOfSuperstepEvent } from './EndOfSuperstepEvent';
import { CorruptEventException, IncompleteEventException, UnsupportedEventException } from './errors';
import { EventAnnouncement } from './EventAnnouncement';
import { PostCheckpointAction, SavepointFormatType, SavepointType } from './SavepointType';
import type { SnapshotType } from './SnapshotType';
import { STOP_MODES } from './StopMode';
import { SubtaskConnectionDescriptor } from './SubtaskConnectionDescriptor';

// Type ids (the first 4 bytes of every event, big-endian).
const END_OF_PARTITION_EVENT = 0;
const CHECKPOINT_BARRIER_EVENT = 1;
const END_OF_SUPERSTEP_EVENT = 2;
const OTHER_EVENT = 3;
const CANCEL_CHECKPOINT_MARKER_EVENT = 4;
const END_OF_CHANNEL_STATE_EVENT = 5;
const ANNOUNCEMENT_EVENT = 6;
const VIRTUAL_CHANNEL_SELECTOR_EVENT = 7;
const END_OF_USER_RECORDS_EVENT = 8;
const END_OF_SEGMENT = 9;

// Snapshot type codes: explicit, not ordinals, so that reordering an enum cannot change the wire format.
const CHECKPOINT_TYPE_CHECKPOINT = 0;
const CHECKPOINT_TYPE_SAVEPOINT = 1;
const CHECKPOINT_TYPE_SAVEPOINT_SUSPEND = 2;
const CHECKPOINT_TYPE_SAVEPOINT_TERMINATE = 3;
const CHECKPOINT_TYPE_FULL_CHECKPOINT = 4;
const SAVEPOINT_FORMAT_CANONICAL = 0;
const SAVEPOINT_FORMAT_NATIVE = 1;

/** Java's `Long.MAX_VALUE`: the wire value of "no aligned checkpoint timeout". */
const LONG_MAX = 0x7fffffffffffffffn;

/** A custom event class: constructible without arguments (Flink instantiates by class name, then `read`s). */
export type EventClass = new () => AbstractEvent;

const classesByName = new Map<string, EventClass>();
const namesByClass = new Map<EventClass, string>();

/** Reads an event from bytes with bounds checks that name the event and the missing bytes. */
class EventReader {
  offset = 0;
  eventType = 'event';
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): number {
    const at = this.offset;
    const left = this.bytes.byteLength - at;
    if (left < n) throw new IncompleteEventException(this.eventType, n, left, at);
    this.offset = at + n;
    return at;
  }

  byte(): number {
    return this.view.getInt8(this.need(1));
  }

  int(): number {
    return this.view.getInt32(this.need(4));
  }

  unsignedShort(): number {
    return this.view.getUint16(this.need(2));
  }

  long(): bigint {
    return this.view.getBigInt64(this.need(8));
  }

  bytesOf(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  remaining(): Uint8Array {
    const at = this.offset;
    this.offset = this.bytes.byteLength;
    return this.bytes.subarray(at);
  }
}

function toSafeNumber(typeId: number, value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new CorruptEventException(typeId, `${what} ${value} is outside the range Sluice supports (safe integers, ±${Number.MAX_SAFE_INTEGER})`);
  }
  return Number(value);
}

/** Java's modified UTF-8 (`DataOutput.writeUTF`): length-prefixed, NUL as 2 bytes, surrogates 3 bytes each. */
function encodeModifiedUtf8(text: string): NodeBuffer {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    length += c >= 0x0001 && c <= 0x007f ? 1 : c <= 0x07ff ? 2 : 3;
  }
  if (length > 65535) throw new IllegalArgumentException(`encoded string too long: ${length} bytes (max 65535)`);
  const out = NodeBuffer.allocUnsafe(2 + length);
  out.writeUInt16BE(length, 0);
  let p = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x0001 && c <= 0x007f) out[p++] = c;
    else if (c <= 0x07ff) {
      out[p++] = 0xc0 | ((c >> 6) & 0x1f);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      out[p++] = 0xe0 | ((c >> 12) & 0x0f);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

function decodeModifiedUtf8(reader: EventReader): string {
  const bytes = reader.bytesOf(reader.unsignedShort());
  let text = '';
  for (let i = 0; i < bytes.length; ) {
    const a = bytes[i]!;
    if (a < 0x80) {
      text += String.fromCharCode(a);
      i += 1;
    } else if ((a & 0xe0) === 0xc0 && i + 1 < bytes.length) {
      text += String.fromCharCode(((a & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
      i += 2;
    } else if ((a & 0xf0) === 0xe0 && i + 2 < bytes.length) {
      text += String.fromCharCode(((a & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f));
      i += 3;
    } else {
      throw new CorruptEventException(OTHER_EVENT, `malformed modified UTF-8 in the event class name at byte ${i}`);
    }
  }
  return text;
}

function snapshotTypeCode(type: SnapshotType): number[] {
  if (type instanceof SavepointType) {
    const action = type.getPostCheckpointAction();
    const code =
      action === PostCheckpointAction.NONE
        ? CHECKPOINT_TYPE_SAVEPOINT
        : action === PostCheckpointAction.SUSPEND
          ? CHECKPOINT_TYPE_SAVEPOINT_SUSPEND
          : CHECKPOINT_TYPE_SAVEPOINT_TERMINATE;
    return [code, type.getFormatType() === SavepointFormatType.NATIVE ? SAVEPOINT_FORMAT_NATIVE : SAVEPOINT_FORMAT_CANONICAL];
  }
  if (type === CheckpointType.CHECKPOINT) return [CHECKPOINT_TYPE_CHECKPOINT];
  if (type === CheckpointType.FULL_CHECKPOINT) return [CHECKPOINT_TYPE_FULL_CHECKPOINT];
  throw new UnsupportedEventException(String(type), `Unknown checkpoint type: ${String(type)}`);
}

function serializeCheckpointBarrier(barrier: CheckpointBarrier): NodeBuffer {
  const options = barrier.getCheckpointOptions();
  const location = options.getTargetLocation();
  const typeCode = snapshotTypeCode(options.getCheckpointType());
  const locationLength = location.getReferenceLength();
  // int type | long id | long timestamp | byte type [| byte format] | int location length | location | byte alignment | long timeout
  const out = NodeBuffer.alloc(4 + 8 + 8 + typeCode.length + 4 + locationLength + 1 + 8);
  let p = out.writeInt32BE(CHECKPOINT_BARRIER_EVENT, 0);
  p = out.writeBigInt64BE(BigInt(barrier.getId()), p);
  p = out.writeBigInt64BE(BigInt(barrier.getTimestamp()), p);
  for (const code of typeCode) p = out.writeInt8(code, p);
  if (location.isDefaultReference()) {
    p = out.writeInt32BE(-1, p);
  } else {
    p = out.writeInt32BE(locationLength, p);
    location.writeTo(out, p);
    p += locationLength;
  }
  p = out.writeInt8(ALIGNMENT_TYPES.indexOf(options.getAlignment()), p);
  const timeout = options.getAlignedCheckpointTimeout();
  out.writeBigInt64BE(timeout === CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT ? LONG_MAX : BigInt(timeout), p);
  return out;
}

function deserializeCheckpointBarrier(reader: EventReader): CheckpointBarrier {
  reader.eventType = 'CheckpointBarrier';
  const id = toSafeNumber(CHECKPOINT_BARRIER_EVENT, reader.long(), 'CheckpointBarrier id');
  const timestamp = toSafeNumber(CHECKPOINT_BARRIER_EVENT, reader.long(), 'CheckpointBarrier timestamp');
  const typeCode = reader.byte();
  let snapshotType: SnapshotType;
  if (typeCode === CHECKPOINT_TYPE_CHECKPOINT) snapshotType = CheckpointType.CHECKPOINT;
  else if (typeCode === CHECKPOINT_TYPE_FULL_CHECKPOINT) snapshotType = CheckpointType.FULL_CHECKPOINT;
  else if (typeCode === CHECKPOINT_TYPE_SAVEPOINT || typeCode === CHECKPOINT_TYPE_SAVEPOINT_SUSPEND || typeCode === CHECKPOINT_TYPE_SAVEPOINT_TERMINATE) {
    const formatCode = reader.byte();
    let format: SavepointFormatType;
    if (formatCode === SAVEPOINT_FORMAT_CANONICAL) format = SavepointFormatType.CANONICAL;
    else if (formatCode === SAVEPOINT_FORMAT_NATIVE) format = SavepointFormatType.NATIVE;
    else throw new CorruptEventException(CHECKPOINT_BARRIER_EVENT, `Unknown savepoint format type code: ${formatCode}`);
    snapshotType =
      typeCode === CHECKPOINT_TYPE_SAVEPOINT
        ? SavepointType.savepoint(format)
        : typeCode === CHECKPOINT_TYPE_SAVEPOINT_SUSPEND
          ? SavepointType.suspend(format)
          : SavepointType.terminate(format);
  } else {
    throw new CorruptEventException(CHECKPOINT_BARRIER_EVENT, `Unknown checkpoint type code: ${typeCode}`);
  }
  const locationLength = reader.int();
  let location: CheckpointStorageLocationReference;
  if (locationLength === -1) location = CheckpointStorageLocationReference.getDefault();
  else if (locationLength <= 0) {
    throw new CorruptEventException(CHECKPOINT_BARRIER_EVENT, `invalid checkpoint location reference length ${locationLength} (expected -1 or > 0)`);
  } else location = new CheckpointStorageLocationReference(reader.bytesOf(locationLength));
  const alignmentCode = reader.byte();
  const alignment = ALIGNMENT_TYPES[alignmentCode];
  if (alignment === undefined) {
    throw new CorruptEventException(CHECKPOINT_BARRIER_EVENT, `Unknown alignment type ordinal: ${alignmentCode} (expected 0-${ALIGNMENT_TYPES.length - 1})`);
  }
  const rawTimeout = reader.long();
  const timeout =
    rawTimeout === LONG_MAX
      ? CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT
      : toSafeNumber(CHECKPOINT_BARRIER_EVENT, rawTimeout, 'aligned checkpoint timeout');
  let options: CheckpointOptions;
  try {
    options = new CheckpointOptions(snapshotType, location, alignment, timeout);
  } catch (err) {
    throw new CorruptEventException(CHECKPOINT_BARRIER_EVENT, `invalid checkpoint options: ${(err as Error).message}`);
  }
  return new CheckpointBarrier(id, timestamp, options);
}

function ofTypeId(typeId: number, extra?: number): NodeBuffer {
  const out = NodeBuffer.alloc(extra === undefined ? 4 : 5);
  out.writeInt32BE(typeId, 0);
  if (extra !== undefined) out.writeInt8(extra, 4);
  return out;
}

function serializeOther(event: AbstractEvent): NodeBuffer {
  const className = namesByClass.get(event.constructor as EventClass);
  if (className === undefined) {
    throw new UnsupportedEventException(
      event.constructor.name,
      `Cannot serialize ${event.constructor.name}: not a built-in event and not registered with EventSerializer.registerEventClass()`,
    );
  }
  const body = Unpooled.buffer(128);
  try {
    event.write(body);
    const name = encodeModifiedUtf8(className);
    const out = NodeBuffer.alloc(4 + name.length + body.readableBytes());
    out.writeInt32BE(OTHER_EVENT, 0);
    name.copy(out, 4);
    body.getBytes(body.readerIndex(), out, 4 + name.length, body.readableBytes());
    return out;
  } finally {
    body.release();
  }
}

function deserializeOther(reader: EventReader): AbstractEvent {
  reader.eventType = 'custom event';
  const className = decodeModifiedUtf8(reader);
  const eventClass = classesByName.get(className);
  if (eventClass === undefined) {
    throw new UnsupportedEventException(
      className,
      `Could not load event class '${className}': custom events (type id 3) need EventSerializer.registerEventClass('${className}', …)`,
    );
  }
  const event = new eventClass();
  const body: ByteBuf = Unpooled.wrappedBuffer(reader.remaining());
  try {
    event.read(body);
  } finally {
    body.release();
  }
  return event;
}

function deserialize(reader: EventReader): AbstractEvent {
  const type = reader.int();
  switch (type) {
    case END_OF_PARTITION_EVENT:
      return EndOfPartitionEvent.INSTANCE;
    case CHECKPOINT_BARRIER_EVENT:
      return deserializeCheckpointBarrier(reader);
    case END_OF_SUPERSTEP_EVENT:
      return EndOfSuperstepEvent.INSTANCE;
    case END_OF_CHANNEL_STATE_EVENT:
      return EndOfChannelStateEvent.INSTANCE;
    case END_OF_USER_RECORDS_EVENT: {
      reader.eventType = 'EndOfData';
      const ordinal = reader.byte();
      const mode = STOP_MODES[ordinal];
      if (mode === undefined) throw new CorruptEventException(type, `Unknown StopMode ordinal: ${ordinal} (expected 0-${STOP_MODES.length - 1})`);
      return new EndOfData(mode);
    }
    case CANCEL_CHECKPOINT_MARKER_EVENT:
      reader.eventType = 'CancelCheckpointMarker';
      return new CancelCheckpointMarker(toSafeNumber(type, reader.long(), 'CancelCheckpointMarker id'));
    case ANNOUNCEMENT_EVENT: {
      reader.eventType = 'EventAnnouncement';
      const sequenceNumber = reader.int();
      reader.eventType = 'announced event';
      return new EventAnnouncement(deserialize(reader), sequenceNumber);
    }
    case VIRTUAL_CHANNEL_SELECTOR_EVENT: {
      reader.eventType = 'SubtaskConnectionDescriptor';
      const input = reader.int();
      return new SubtaskConnectionDescriptor(input, reader.int());
    }
    case END_OF_SEGMENT:
      return EndOfSegmentEvent.INSTANCE;
    case OTHER_EVENT:
      return deserializeOther(reader);
    default:
      throw new CorruptEventException(type, `unknown event type id ${type} (expected 0-${END_OF_SEGMENT})`);
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.api.serialization.EventSerializer (Flink 1.20). Differs:
 * custom events (type id 3) are decoded through a registry of JS classes by Java class name instead of
 * reflection; exact-size output (Flink's CheckpointBarrier `toBufferConsumer` carries up to 4 trailing
 * pad bytes, which this decoder, like Flink's, ignores); `getDataType` lives here (Flink:
 * `Buffer.DataType.getDataType`); FlushEvent (type 10, one Flink fork only) is not supported.
 *
 * Serializes events byte-compatibly with Flink (a Java peer reads what we write and vice versa). Every
 * event starts with a 4-byte big-endian type id:
 *
 * | id | event | body after the id |
 * |---|---|---|
 * | 0 | EndOfPartitionEvent | — |
 * | 1 | CheckpointBarrier | long id · long timestamp · byte snapshot type (0 checkpoint, 1 savepoint, 2 suspend, 3 terminate, 4 full checkpoint) · [byte format (0 canonical, 1 native) for savepoints] · int location length (−1 = default) · location bytes · byte alignment ordinal · long aligned-checkpoint timeout |
 * | 2 | EndOfSuperstepEvent | — |
 * | 3 | custom event | Java modified-UTF-8 class name · `event.write()` body |
 * | 4 | CancelCheckpointMarker | long checkpoint id |
 * | 5 | EndOfChannelStateEvent | — |
 * | 6 | EventAnnouncement | int sequence number · nested event |
 * | 7 | SubtaskConnectionDescriptor | int input subtask · int output subtask |
 * | 8 | EndOfData | byte StopMode ordinal (0 DRAIN, 1 NO_DRAIN) |
 * | 9 | EndOfSegmentEvent | — |
 *
 * 64-bit fields are exact on the wire; in JS they are safe-integer numbers (see {@link CheckpointBarrier})
 * and "no timeout" is `Infinity` (see {@link CheckpointOptions}).
 *
 * ## Threading
 * Stateless except for the custom-event registry (register at start-up); any thread.
 *
 * ## Ownership
 * `toBuffer` returns a buffer with one reference for the caller (freed by {@link FreeingBufferRecycler});
 * `toBufferConsumer` returns a consumer owning it. `fromBuffer` reads without taking or releasing a
 * reference and without moving the buffer's reader index.
 *
 * ## Pitfalls
 * Trailing bytes after an event are ignored (as in Flink), so a buffer may carry padding.
 *
 * @example
 * const bytes = EventSerializer.toSerializedEvent(EndOfPartitionEvent.INSTANCE); // <00 00 00 00>
 * EventSerializer.fromSerializedEvent(bytes) === EndOfPartitionEvent.INSTANCE;   // true
 * const buffer = EventSerializer.toBuffer(barrier, false); // DataType.ALIGNED_CHECKPOINT_BARRIER
 */
export abstract class EventSerializer {
  /**
   * Registers a custom event class (type id 3) under the Java class name Flink writes for it, e.g.
   * `org.apache.flink.runtime.event.task.IntegerTaskEvent`. The class needs a no-argument constructor
   * and `write`/`read` overrides.
   */
  static registerEventClass(javaClassName: string, eventClass: EventClass): void {
    if (javaClassName.length === 0) throw new IllegalArgumentException('javaClassName must not be empty');
    classesByName.set(javaClassName, eventClass);
    namesByClass.set(eventClass, javaClassName);
  }

  /** Removes a registration made with {@link registerEventClass}. */
  static unregisterEventClass(javaClassName: string): void {
    const eventClass = classesByName.get(javaClassName);
    if (eventClass === undefined) return;
    classesByName.delete(javaClassName);
    namesByClass.delete(eventClass);
  }

  /** The exact serialized bytes of `event` (a fresh Node `Buffer`). */
  static toSerializedEvent(event: AbstractEvent): NodeBuffer {
    const eventClass = event.constructor;
    if (eventClass === EndOfPartitionEvent) return ofTypeId(END_OF_PARTITION_EVENT);
    if (eventClass === CheckpointBarrier) return serializeCheckpointBarrier(event as CheckpointBarrier);
    if (eventClass === EndOfSuperstepEvent) return ofTypeId(END_OF_SUPERSTEP_EVENT);
    if (eventClass === EndOfChannelStateEvent) return ofTypeId(END_OF_CHANNEL_STATE_EVENT);
    if (eventClass === EndOfData) return ofTypeId(END_OF_USER_RECORDS_EVENT, STOP_MODES.indexOf((event as EndOfData).getStopMode()));
    if (eventClass === CancelCheckpointMarker) {
      const out = NodeBuffer.alloc(12);
      out.writeInt32BE(CANCEL_CHECKPOINT_MARKER_EVENT, 0);
      out.writeBigInt64BE(BigInt((event as CancelCheckpointMarker).getCheckpointId()), 4);
      return out;
    }
    if (eventClass === EventAnnouncement) {
      const announcement = event as EventAnnouncement;
      const nested = EventSerializer.toSerializedEvent(announcement.getAnnouncedEvent());
      const out = NodeBuffer.alloc(8 + nested.length);
      out.writeInt32BE(ANNOUNCEMENT_EVENT, 0);
      out.writeInt32BE(announcement.getSequenceNumber(), 4);
      nested.copy(out, 8);
      return out;
    }
    if (eventClass === SubtaskConnectionDescriptor) {
      const selector = event as SubtaskConnectionDescriptor;
      const out = NodeBuffer.alloc(12);
      out.writeInt32BE(VIRTUAL_CHANNEL_SELECTOR_EVENT, 0);
      out.writeInt32BE(selector.getInputSubtaskIndex(), 4);
      out.writeInt32BE(selector.getOutputSubtaskIndex(), 8);
      return out;
    }
    if (eventClass === EndOfSegmentEvent) return ofTypeId(END_OF_SEGMENT);
    return serializeOther(event);
  }

  /**
   * Decodes one event from `bytes` (a `Uint8Array`, or a `ByteBuf`'s readable bytes — its reader index is
   * not moved). Throws `IncompleteEventException` (fewer than 4 bytes, or a short body),
   * `CorruptEventException` (unknown type id or code) or `UnsupportedEventException` (unregistered
   * custom event).
   */
  static fromSerializedEvent(bytes: Uint8Array | ByteBuf): AbstractEvent {
    const view = bytes instanceof Uint8Array ? bytes : bytes.nioBuffer();
    if (view.byteLength < 4) throw new IncompleteEventException('event', 4, view.byteLength, 0);
    return deserialize(new EventReader(view));
  }

  /**
   * `event` as a network buffer over a fresh heap segment holding exactly its bytes, with the
   * {@link FreeingBufferRecycler} and the data type of {@link getDataType}.
   */
  static toBuffer(event: AbstractEvent, hasPriority: boolean): NetworkBuffer {
    const bytes = EventSerializer.toSerializedEvent(event);
    return new NetworkBuffer(MemorySegmentFactory.wrap(bytes), FreeingBufferRecycler.INSTANCE, EventSerializer.getDataType(event, hasPriority), bytes.length);
  }

  /** `event` as a finished {@link BufferConsumer} (see {@link toBuffer}), e.g. to add to every subpartition. */
  static toBufferConsumer(event: AbstractEvent, hasPriority: boolean): BufferConsumer {
    const buffer = EventSerializer.toBuffer(event, hasPriority);
    return BufferConsumer.ofStaticContent(buffer, buffer.getSize());
  }

  /** Decodes the event in `buffer`'s readable bytes (the buffer is neither released nor advanced). */
  static fromBuffer(buffer: Buffer): AbstractEvent {
    return EventSerializer.fromSerializedEvent(buffer.getNioBufferReadable());
  }

  /**
   * The data type of a buffer carrying `event` (Flink's `Buffer.DataType.getDataType`): priority →
   * PRIORITIZED_EVENT_BUFFER; EndOfChannelStateEvent → RECOVERY_COMPLETION; EndOfSegmentEvent →
   * END_OF_SEGMENT; a barrier that needs alignment → TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER or
   * ALIGNED_CHECKPOINT_BARRIER; anything else → EVENT_BUFFER.
   */
  static getDataType(event: AbstractEvent, hasPriority: boolean): DataType {
    if (hasPriority) return DataType.PRIORITIZED_EVENT_BUFFER;
    if (event instanceof EndOfChannelStateEvent) return DataType.RECOVERY_COMPLETION;
    // Sluice: Flink's tiered storage sets END_OF_SEGMENT explicitly; deriving it here keeps call sites simple.
    if (event instanceof EndOfSegmentEvent) return DataType.END_OF_SEGMENT;
    if (!(event instanceof CheckpointBarrier)) return DataType.EVENT_BUFFER;
    const options = event.getCheckpointOptions();
    if (!options.needsAlignment()) return DataType.EVENT_BUFFER;
    return options.isTimeoutable() ? DataType.TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER : DataType.ALIGNED_CHECKPOINT_BARRIER;
  }
}

