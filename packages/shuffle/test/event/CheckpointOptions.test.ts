import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';
import {
  AlignmentType,
  CancelCheckpointMarker,
  CheckpointBarrier,
  CheckpointOptions,
  CheckpointStorageLocationReference,
  CheckpointType,
  EndOfData,
  EndOfPartitionEvent,
  EventAnnouncement,
  SavepointFormatType,
  SavepointType,
  StopMode,
  SubtaskConnectionDescriptor,
} from '../../src/event';

const LOCATION = CheckpointStorageLocationReference.getDefault();
const NO_TIMEOUT = CheckpointOptions.NO_ALIGNED_CHECKPOINT_TIME_OUT;

describe('CheckpointOptions', () => {
  it('derives alignment from the configuration like Flink (forConfig)', () => {
    const savepoint = SavepointType.savepoint(SavepointFormatType.CANONICAL);
    const cases: [boolean, boolean, number, CheckpointOptions][] = [
      [false, true, 10, CheckpointOptions.notExactlyOnce(CheckpointType.CHECKPOINT, LOCATION)],
      [true, false, 10, CheckpointOptions.alignedNoTimeout(CheckpointType.CHECKPOINT, LOCATION)],
      [true, true, 0, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, LOCATION)],
      [true, true, NO_TIMEOUT, CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, LOCATION)],
      [true, true, 10, CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 10)],
    ];
    for (const [exactlyOnce, unaligned, timeout, expected] of cases) {
      expect(CheckpointOptions.forConfig(CheckpointType.CHECKPOINT, LOCATION, exactlyOnce, unaligned, timeout).equals(expected)).toBe(true);
    }
    expect(CheckpointOptions.forConfig(savepoint, LOCATION, true, true, 10).equals(CheckpointOptions.alignedNoTimeout(savepoint, LOCATION))).toBe(true);
  });

  it('answers needsAlignment, isTimeoutable and needsChannelState per alignment type', () => {
    const table = [
      CheckpointOptions.notExactlyOnce(CheckpointType.CHECKPOINT, LOCATION),
      CheckpointOptions.alignedNoTimeout(CheckpointType.CHECKPOINT, LOCATION),
      CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 5),
      CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, LOCATION),
      CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 5).withUnalignedUnsupported(),
    ].map((o) => [o.getAlignment(), o.needsAlignment(), o.isTimeoutable(), o.needsChannelState(), o.isExactlyOnceMode()]);
    expect(table).toEqual([
      [AlignmentType.AT_LEAST_ONCE, false, false, false, false],
      [AlignmentType.ALIGNED, true, false, false, true],
      [AlignmentType.ALIGNED, true, true, true, true],
      [AlignmentType.UNALIGNED, false, false, true, true],
      [AlignmentType.FORCED_ALIGNED, true, false, false, true],
    ]);
  });

  it('converts between aligned, unaligned and forced-aligned', () => {
    const timeoutable = CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 5);
    expect(timeoutable.toUnaligned().isUnalignedCheckpoint()).toBe(true);
    expect(timeoutable.withUnalignedUnsupported().withUnalignedSupported().equals(timeoutable)).toBe(true);
    const unaligned = CheckpointOptions.unaligned(CheckpointType.CHECKPOINT, LOCATION);
    expect(unaligned.withUnalignedUnsupported().withUnalignedSupported().equals(unaligned)).toBe(true);
    expect(() => unaligned.toUnaligned()).toThrow(IllegalStateException);
  });

  it('rejects unaligned savepoints, timeouts on unaligned checkpoints and non-integer timeouts', () => {
    const savepoint = SavepointType.terminate(SavepointFormatType.NATIVE);
    expect(() => CheckpointOptions.unaligned(savepoint, LOCATION)).toThrow('Savepoints can not be unaligned');
    expect(() => new CheckpointOptions(savepoint, LOCATION, AlignmentType.UNALIGNED)).toThrow("Savepoint can't be unaligned");
    expect(() => new CheckpointOptions(CheckpointType.CHECKPOINT, LOCATION, AlignmentType.UNALIGNED, 10)).toThrow("Unaligned checkpoint can't have timeout (10)");
    expect(() => CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 1.5)).toThrow(IllegalArgumentException);
  });

  it('compares snapshot types and locations by value', () => {
    expect(SavepointType.suspend(SavepointFormatType.NATIVE).equals(SavepointType.suspend(SavepointFormatType.NATIVE))).toBe(true);
    expect(SavepointType.suspend(SavepointFormatType.NATIVE).equals(SavepointType.suspend(SavepointFormatType.CANONICAL))).toBe(false);
    expect([SavepointType.terminate(SavepointFormatType.NATIVE).isSynchronous(), SavepointType.savepoint(SavepointFormatType.NATIVE).isSynchronous()]).toEqual([true, false]);
    expect(SavepointType.terminate(SavepointFormatType.CANONICAL).getName()).toBe('Terminate Savepoint');
    const a = new CheckpointStorageLocationReference(Uint8Array.of(1, 2));
    expect(a.equals(new CheckpointStorageLocationReference(Uint8Array.of(1, 2)))).toBe(true);
    expect(a.equals(LOCATION)).toBe(false);
    expect([a.toString(), LOCATION.toString(), LOCATION.getReferenceBytes().length]).toEqual(['0102', '(default)', 0]);
    expect(() => new CheckpointStorageLocationReference(new Uint8Array(0))).toThrow(IllegalArgumentException);
  });
});

describe('events', () => {
  it('checks the ranges of their fields', () => {
    expect(() => new CheckpointBarrier(2 ** 53, 0, CheckpointOptions.forCheckpointWithDefaultLocation())).toThrow(/checkpoint id: 9007199254740992/);
    expect(() => new CheckpointBarrier(1, 0.5, CheckpointOptions.forCheckpointWithDefaultLocation())).toThrow(IllegalArgumentException);
    expect(() => new CancelCheckpointMarker(Number.NaN)).toThrow(IllegalArgumentException);
    expect(() => new EventAnnouncement(EndOfPartitionEvent.INSTANCE, 2 ** 31)).toThrow(IllegalArgumentException);
    expect(() => new SubtaskConnectionDescriptor(0, 2 ** 31)).toThrow(IllegalArgumentException);
    expect(() => new EndOfData('LATER' as StopMode)).toThrow(IllegalArgumentException);
  });

  it('turns a barrier unaligned and describes it', () => {
    const aligned = new CheckpointBarrier(4, 5, CheckpointOptions.alignedWithTimeout(CheckpointType.CHECKPOINT, LOCATION, 100));
    const unaligned = aligned.asUnaligned();
    expect(unaligned.getCheckpointOptions().isUnalignedCheckpoint()).toBe(true);
    expect(unaligned.asUnaligned()).toBe(unaligned);
    expect([unaligned.getId(), unaligned.getTimestamp(), aligned.isCheckpoint()]).toEqual([4, 5, true]);
    expect(aligned.toString()).toMatch(/^CheckpointBarrier 4 @ 5 Options: CheckpointOptions\{checkpointType=CheckpointType\{name='Checkpoint'\}/);
    expect(new EventAnnouncement(aligned, 3).toString()).toMatch(/^Announcement of \[CheckpointBarrier 4/);
    expect(String(EndOfPartitionEvent.INSTANCE)).toBe('EndOfPartitionEvent');
    expect(() => aligned.write(null as never)).toThrow('This method should never be called');
  });
});
