import { afterEach, describe, expect, it } from '@jest/globals';
import { Unpooled, type ByteBuf } from '@sluice/channel';
import fc from 'fast-check';
import {
  AlignmentType,
  CancelCheckpointMarker,
  CheckpointBarrier,
  CheckpointOptions,
  CheckpointStorageLocationReference,
  CheckpointType,
  CorruptEventException,
  EndOfChannelStateEvent,
  EndOfData,
  EndOfPartitionEvent,
  EndOfSegmentEvent,
  EndOfSuperstepEvent,
  EventAnnouncement,
  EventSerializer,
  IncompleteEventException,
  SavepointFormatType,
  SavepointType,
  StopMode,
  SubtaskConnectionDescriptor,
  TaskEvent,
  UnsupportedEventException,
  type AbstractEvent,
  type SnapshotType,
} from '../../src/event';
import { DataType, FreeingBufferRecycler } from '../../src/memory';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const fromHex = (text: string): Buffer => Buffer.from(text.replace(/[\s|]/g, ''), 'hex');
const DEFAULT_LOCATION = CheckpointStorageLocationReference.getDefault();
const NO_TIMEOUT = '7fffffffffffffff';

/** Flink's IntegerTaskEvent: a custom (type id 3) event with an int body. */
class IntegerTaskEvent extends TaskEvent {
  value = 0;
  static of(value: number): IntegerTaskEvent {
    const event = new IntegerTaskEvent();
    event.value = value;
    return event;
  }
  override write(out: ByteBuf): void {
    out.writeInt(this.value);
  }
  override read(input: ByteBuf): void {
    this.value = input.readInt();
  }
  override equals(other: unknown): boolean {
    return other instanceof IntegerTaskEvent && other.value === this.value;
  }
}
const INTEGER_TASK_EVENT = 'org.apache.flink.runtime.event.task.IntegerTaskEvent';

function barrier(id: number, timestamp: number, options = CheckpointOptions.forCheckpointWithDefaultLocation()): CheckpointBarrier {
  return new CheckpointBarrier(id, timestamp, options);
}

const ALL_EVENTS: [string, AbstractEvent][] = [
  ['EndOfPartitionEvent', EndOfPartitionEvent.INSTANCE],
  ['EndOfSuperstepEvent', EndOfSuperstepEvent.INSTANCE],
  ['EndOfChannelStateEvent', EndOfChannelStateEvent.INSTANCE],
  ['EndOfSegmentEvent', EndOfSegmentEvent.INSTANCE],
  ['CheckpointBarrier (checkpoint)', barrier(1, 2)],
  ['CheckpointBarrier (full checkpoint, location)', barrier(9, 10, new CheckpointOptions(CheckpointType.FULL_CHECKPOINT, new CheckpointStorageLocationReference(Uint8Array.of(1, 2, 3))))],
  ['CheckpointBarrier (savepoint)', barrier(3, 4, CheckpointOptions.alignedNoTimeout(SavepointType.savepoint(SavepointFormatType.CANONICAL), DEFAULT_LOCATION))],
  ['CheckpointBarrier (suspend, native)', barrier(5, 6, CheckpointOptions.alignedNoTimeout(SavepointType.suspend(SavepointFormatType.NATIVE), DEFAULT_LOCATION))],
  ['CheckpointBarrier (unaligned)', barrier(7, 8, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, DEFAULT_LOCATION))],
  ['CheckpointBarrier (timeoutable)', barrier(7, 8, CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, DEFAULT_LOCATION, 1000))],
  ['CheckpointBarrier (at least once)', barrier(7, 8, CheckpointOptions.notExactlyOnce(CheckpointType.CHECKPOINT, DEFAULT_LOCATION))],
  ['CancelCheckpointMarker', new CancelCheckpointMarker(123456789012)],
  ['EndOfData (DRAIN)', new EndOfData(StopMode.DRAIN)],
  ['EndOfData (NO_DRAIN)', new EndOfData(StopMode.NO_DRAIN)],
  ['EventAnnouncement', new EventAnnouncement(barrier(11, 12), 42)],
  ['SubtaskConnectionDescriptor', new SubtaskConnectionDescriptor(3, -7)],
];

describe('EventSerializer', () => {
  afterEach(() => EventSerializer.unregisterEventClass(INTEGER_TASK_EVENT));

  it.each(ALL_EVENTS)('round-trips %s', (_name, event) => {
    const bytes = EventSerializer.toSerializedEvent(event);
    const decoded = EventSerializer.fromSerializedEvent(bytes);
    expect(decoded.equals(event)).toBe(true);
    expect(decoded.constructor).toBe(event.constructor);
  });

  it('decodes the singletons to their instances', () => {
    for (const event of [EndOfPartitionEvent.INSTANCE, EndOfSuperstepEvent.INSTANCE, EndOfChannelStateEvent.INSTANCE, EndOfSegmentEvent.INSTANCE]) {
      expect(EventSerializer.fromSerializedEvent(EventSerializer.toSerializedEvent(event))).toBe(event);
    }
  });

  it('writes the exact bytes of the id-only events', () => {
    expect(hex(EventSerializer.toSerializedEvent(EndOfPartitionEvent.INSTANCE))).toBe('00000000');
    expect(hex(EventSerializer.toSerializedEvent(EndOfSuperstepEvent.INSTANCE))).toBe('00000002');
    expect(hex(EventSerializer.toSerializedEvent(EndOfChannelStateEvent.INSTANCE))).toBe('00000005');
    expect(hex(EventSerializer.toSerializedEvent(EndOfSegmentEvent.INSTANCE))).toBe('00000009');
  });

  it('writes an aligned checkpoint barrier at the default location byte by byte', () => {
    const bytes = EventSerializer.toSerializedEvent(barrier(1, 2));
    expect(hex(bytes)).toBe(
      // type id | id | timestamp | CHECKPOINT | default location | ALIGNED | no timeout
      '00000001' + '0000000000000001' + '0000000000000002' + '00' + 'ffffffff' + '01' + NO_TIMEOUT,
    );
    expect(bytes).toHaveLength(34);
  });

  it('writes a savepoint barrier with format byte and location bytes', () => {
    const options = CheckpointOptions.alignedNoTimeout(SavepointType.terminate(SavepointFormatType.NATIVE), new CheckpointStorageLocationReference(Uint8Array.of(0xca, 0xfe)));
    const bytes = EventSerializer.toSerializedEvent(barrier(5, 1700000000000, options));
    expect(hex(bytes)).toBe(
      // type id | id | timestamp | TERMINATE, NATIVE | location length 2, bytes | ALIGNED | no timeout
      '00000001' + '0000000000000005' + '0000018bcfe56800' + '03' + '01' + '00000002' + 'cafe' + '01' + NO_TIMEOUT,
    );
    const canonical = CheckpointOptions.alignedNoTimeout(SavepointType.savepoint(SavepointFormatType.CANONICAL), DEFAULT_LOCATION);
    expect(hex(EventSerializer.toSerializedEvent(barrier(5, 6, canonical))).slice(40, 44)).toBe('0100');
    const suspend = CheckpointOptions.alignedNoTimeout(SavepointType.suspend(SavepointFormatType.CANONICAL), DEFAULT_LOCATION);
    expect(hex(EventSerializer.toSerializedEvent(barrier(5, 6, suspend))).slice(40, 44)).toBe('0200');
  });

  it('writes alignment ordinals and finite timeouts', () => {
    const timeoutable = CheckpointOptions.alignedWithTimeout(CheckpointType.FULL_CHECKPOINT, DEFAULT_LOCATION, 1000);
    expect(hex(EventSerializer.toSerializedEvent(barrier(1, 2, timeoutable))).slice(40)).toBe('04' + 'ffffffff' + '01' + '00000000000003e8');
    const unaligned = CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, DEFAULT_LOCATION);
    expect(hex(EventSerializer.toSerializedEvent(barrier(1, 2, unaligned))).slice(40)).toBe('00' + 'ffffffff' + '02' + NO_TIMEOUT);
    const atLeastOnce = CheckpointOptions.notExactlyOnce(CheckpointType.CHECKPOINT, DEFAULT_LOCATION);
    expect(hex(EventSerializer.toSerializedEvent(barrier(1, 2, atLeastOnce))).slice(50, 52)).toBe('00');
    const forced = CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, DEFAULT_LOCATION, 5).withUnalignedUnsupported();
    expect(forced.getAlignment()).toBe(AlignmentType.FORCED_ALIGNED);
    expect(hex(EventSerializer.toSerializedEvent(barrier(1, 2, forced))).slice(50, 52)).toBe('03');
  });

  it('writes a CancelCheckpointMarker as 12 bytes', () => {
    expect(hex(EventSerializer.toSerializedEvent(new CancelCheckpointMarker(0x0102030405)))).toBe('00000004' + '0000000102030405');
  });

  it('writes EndOfData, SubtaskConnectionDescriptor and EventAnnouncement byte by byte', () => {
    expect(hex(EventSerializer.toSerializedEvent(new EndOfData(StopMode.DRAIN)))).toBe('0000000800');
    expect(hex(EventSerializer.toSerializedEvent(new EndOfData(StopMode.NO_DRAIN)))).toBe('0000000801');
    expect(hex(EventSerializer.toSerializedEvent(new SubtaskConnectionDescriptor(3, 7)))).toBe('00000007' + '00000003' + '00000007');
    expect(hex(EventSerializer.toSerializedEvent(new EventAnnouncement(new CancelCheckpointMarker(2), 17)))).toBe(
      '00000006' + '00000011' + '00000004' + '0000000000000002',
    );
  });

  it("reads a barrier that carries Flink's trailing padding (toBufferConsumer of a 38-byte array)", () => {
    const padded = fromHex('00000001 0000000000000007 0000000000000008 00 ffffffff 01' + NO_TIMEOUT + '00000000');
    expect(padded).toHaveLength(38);
    expect(EventSerializer.fromSerializedEvent(padded).equals(barrier(7, 8))).toBe(true);
  });

  it('decodes the readable bytes of a ByteBuf without moving its reader index', () => {
    const buf = Unpooled.buffer(16).writeByte(0xff).writeBytes(EventSerializer.toSerializedEvent(new CancelCheckpointMarker(5)));
    buf.readerIndex(1);
    expect(EventSerializer.fromSerializedEvent(buf).equals(new CancelCheckpointMarker(5))).toBe(true);
    expect(buf.readerIndex()).toBe(1);
    buf.release();
  });

  it('round-trips registered custom events (type id 3, Java modified UTF-8 class name)', () => {
    EventSerializer.registerEventClass(INTEGER_TASK_EVENT, IntegerTaskEvent);
    const bytes = EventSerializer.toSerializedEvent(IntegerTaskEvent.of(1337));
    const name = Buffer.from(INTEGER_TASK_EVENT, 'latin1');
    expect(hex(bytes)).toBe('00000003' + name.length.toString(16).padStart(4, '0') + name.toString('hex') + '00000539');
    const decoded = EventSerializer.fromSerializedEvent(bytes);
    expect(decoded).toBeInstanceOf(IntegerTaskEvent);
    expect((decoded as IntegerTaskEvent).value).toBe(1337);
  });

  it('encodes non-ASCII class names in modified UTF-8 (NUL as two bytes)', () => {
    EventSerializer.registerEventClass('a\u0000é€', IntegerTaskEvent);
    const bytes = EventSerializer.toSerializedEvent(IntegerTaskEvent.of(1));
    expect(hex(bytes.subarray(4, 4 + 2 + 8))).toBe('0008' + '61' + 'c080' + 'c3a9' + 'e282ac');
    expect(EventSerializer.fromSerializedEvent(bytes).equals(IntegerTaskEvent.of(1))).toBe(true);
    EventSerializer.unregisterEventClass('a\u0000é€');
  });

  it('refuses unregistered custom events in both directions', () => {
    expect(() => EventSerializer.toSerializedEvent(IntegerTaskEvent.of(1))).toThrow(UnsupportedEventException);
    const bytes = Buffer.concat([fromHex('00000003 0003'), Buffer.from('x.Y'), fromHex('00000001')]);
    let error: unknown;
    try {
      EventSerializer.fromSerializedEvent(bytes);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnsupportedEventException);
    expect(error).toMatchObject({ code: 'SLUICE_UNSUPPORTED_EVENT', className: 'x.Y' });
    expect((error as Error).message).toContain("Could not load event class 'x.Y'");
  });

  it('fails on fewer than 4 bytes with "Incomplete event"', () => {
    expect(() => EventSerializer.fromSerializedEvent(Uint8Array.of(0, 0, 0))).toThrow(
      new IncompleteEventException('event', 4, 3, 0),
    );
    expect(() => EventSerializer.fromSerializedEvent(new Uint8Array(0))).toThrow(/^Incomplete event: 0 byte\(s\), but an event starts with a 4-byte type id$/);
  });

  it('fails on an unknown type id with "Corrupt byte stream for event" naming the id', () => {
    let error: unknown;
    try {
      EventSerializer.fromSerializedEvent(fromHex('0000002a'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CorruptEventException);
    expect(error).toMatchObject({ code: 'SLUICE_CORRUPT_EVENT', typeId: 42 });
    expect((error as Error).message).toBe('Corrupt byte stream for event: unknown event type id 42 (expected 0-9)');
  });

  it('names the event and the missing bytes when a body is short', () => {
    const full = EventSerializer.toSerializedEvent(barrier(1, 2));
    expect(() => EventSerializer.fromSerializedEvent(full.subarray(0, 10))).toThrow(
      'Incomplete event: CheckpointBarrier needs 8 more byte(s) at offset 4, but only 6 are left',
    );
    expect(() => EventSerializer.fromSerializedEvent(full.subarray(0, 33))).toThrow(IncompleteEventException);
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000004 00000000'))).toThrow(
      'Incomplete event: CancelCheckpointMarker needs 8 more byte(s) at offset 4, but only 4 are left',
    );
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000008'))).toThrow(/EndOfData needs 1 more byte/);
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000007 00000001'))).toThrow(/SubtaskConnectionDescriptor needs 4 more/);
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000006 00000001 0000'))).toThrow(/announced event needs 4 more/);
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000001 0000000000000001 0000000000000002 00 00000005 cafe'))).toThrow(
      /CheckpointBarrier needs 5 more byte\(s\) at offset 25, but only 2 are left/,
    );
  });

  it('rejects unknown codes and values outside the supported range', () => {
    const head = '00000001 0000000000000001 0000000000000002';
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 07 ffffffff 01 ${NO_TIMEOUT}`))).toThrow('Unknown checkpoint type code: 7');
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 01 05 ffffffff 01 ${NO_TIMEOUT}`))).toThrow('Unknown savepoint format type code: 5');
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 00 ffffffff 09 ${NO_TIMEOUT}`))).toThrow('Unknown alignment type ordinal: 9');
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 00 00000000 01 ${NO_TIMEOUT}`))).toThrow(/location reference length 0/);
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 01 00 ffffffff 02 ${NO_TIMEOUT}`))).toThrow(/Savepoint can't be unaligned/);
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`00000001 0020000000000000 0000000000000002 00 ffffffff 01 ${NO_TIMEOUT}`))).toThrow(
      /CheckpointBarrier id 9007199254740992 is outside the range Sluice supports/,
    );
    expect(() => EventSerializer.fromSerializedEvent(fromHex(`${head} 00 ffffffff 01 8000000000000000`))).toThrow(CorruptEventException);
    expect(() => EventSerializer.fromSerializedEvent(fromHex('00000008 02'))).toThrow('Unknown StopMode ordinal: 2');
  });

  it('wraps an event in a buffer over a fresh heap segment with the freeing recycler', () => {
    const buffer = EventSerializer.toBuffer(new CancelCheckpointMarker(3), false);
    expect([buffer.getSize(), buffer.getMaxCapacity(), buffer.getReaderIndex()]).toEqual([12, 12, 0]);
    expect(buffer.getRecycler()).toBe(FreeingBufferRecycler.INSTANCE);
    expect(buffer.getMemorySegment().isShared()).toBe(false);
    expect(buffer.isBuffer()).toBe(false);
    expect(EventSerializer.fromBuffer(buffer).equals(new CancelCheckpointMarker(3))).toBe(true);
    expect(buffer.getReaderIndex()).toBe(0);
    const segment = buffer.getMemorySegment();
    buffer.recycleBuffer();
    expect(segment.isFreed()).toBe(true);
  });

  it.each([
    ['a prioritized event', new CancelCheckpointMarker(1), true, DataType.PRIORITIZED_EVENT_BUFFER],
    ['an aligned barrier', barrier(1, 2), false, DataType.ALIGNED_CHECKPOINT_BARRIER],
    ['a timeoutable aligned barrier', barrier(1, 2, CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, DEFAULT_LOCATION, 10)), false, DataType.TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER],
    ['a savepoint barrier', barrier(1, 2, CheckpointOptions.alignedNoTimeout(SavepointType.savepoint(SavepointFormatType.NATIVE), DEFAULT_LOCATION)), false, DataType.ALIGNED_CHECKPOINT_BARRIER],
    ['an unaligned barrier', barrier(1, 2, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, DEFAULT_LOCATION)), false, DataType.EVENT_BUFFER],
    ['an unaligned barrier with priority', barrier(1, 2, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, DEFAULT_LOCATION)), true, DataType.PRIORITIZED_EVENT_BUFFER],
    ['an at-least-once barrier', barrier(1, 2, CheckpointOptions.notExactlyOnce(CheckpointType.CHECKPOINT, DEFAULT_LOCATION)), false, DataType.EVENT_BUFFER],
    ['EndOfSegmentEvent', EndOfSegmentEvent.INSTANCE, false, DataType.END_OF_SEGMENT],
    ['EndOfChannelStateEvent', EndOfChannelStateEvent.INSTANCE, false, DataType.RECOVERY_COMPLETION],
    ['EndOfPartitionEvent', EndOfPartitionEvent.INSTANCE, false, DataType.EVENT_BUFFER],
  ] as [string, AbstractEvent, boolean, DataType][])('gives %s (priority %s) the data type %s', (_name, event, priority, type) => {
    expect(EventSerializer.getDataType(event, priority)).toBe(type);
    const buffer = EventSerializer.toBuffer(event, priority);
    expect(buffer.getDataType()).toBe(type);
    buffer.recycleBuffer();
  });

  it('wraps an event in a finished consumer that builds the whole event', () => {
    const consumer = EventSerializer.toBufferConsumer(EndOfPartitionEvent.INSTANCE, false);
    expect(consumer.isFinished()).toBe(true);
    expect(consumer.getDataType()).toBe(DataType.EVENT_BUFFER);
    const copy = consumer.copy();
    for (const c of [consumer, copy]) {
      const slice = c.build();
      expect(EventSerializer.fromBuffer(slice)).toBe(EndOfPartitionEvent.INSTANCE);
      slice.recycleBuffer();
      c.close();
    }
  });

  it('round-trips any checkpoint barrier', () => {
    const snapshotTypes: SnapshotType[] = [
      CheckpointType.CHECKPOINT,
      CheckpointType.FULL_CHECKPOINT,
      ...[SavepointFormatType.CANONICAL, SavepointFormatType.NATIVE].flatMap((f) => [SavepointType.savepoint(f), SavepointType.suspend(f), SavepointType.terminate(f)]),
    ];
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.maxSafeInteger(),
        fc.constantFrom(...snapshotTypes),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 })),
        fc.constantFrom(...Object.values(AlignmentType)),
        fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.maxSafeInteger()),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        (id, timestamp, type, location, alignment, timeout, sequenceNumber) => {
          let options: CheckpointOptions;
          try {
            options = new CheckpointOptions(type, location === null ? DEFAULT_LOCATION : new CheckpointStorageLocationReference(location), alignment, timeout);
          } catch {
            fc.pre(false);
            return;
          }
          const event = new EventAnnouncement(new CheckpointBarrier(id, timestamp, options), sequenceNumber);
          const decoded = EventSerializer.fromSerializedEvent(EventSerializer.toSerializedEvent(event));
          expect(decoded.equals(event)).toBe(true);
        },
      ),
    );
  });
});
