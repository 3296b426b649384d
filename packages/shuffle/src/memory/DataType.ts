import { IllegalArgumentException, IllegalStateException } from '@sluice/channel';

/**
 * Port of org.apache.flink.runtime.io.network.buffer.Buffer.DataType (Flink 1.20). Differs: a class with
 * one frozen instance per constant instead of a Java enum; the flags are readonly fields as well as
 * Flink's methods; `getDataType(event, hasPriority)` lives in `EventSerializer` (memory/ must not
 * depend on event/).
 *
 * What a network buffer carries. The {@link ordinal} goes on the wire (BufferResponse `dataType` byte),
 * so the order is Flink's and must never change:
 *
 * | ordinal | name | isBuffer | isEvent | isBlockingUpstream | hasPriority | requiresAnnouncement |
 * |---|---|---|---|---|---|---|
 * | 0 | NONE | F | F | F | F | F |
 * | 1 | DATA_BUFFER | T | F | F | F | F |
 * | 2 | EVENT_BUFFER | F | T | F | F | F |
 * | 3 | PRIORITIZED_EVENT_BUFFER | F | T | F | T | F |
 * | 4 | ALIGNED_CHECKPOINT_BARRIER | F | T | T | F | F |
 * | 5 | TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER | F | T | T | F | T |
 * | 6 | RECOVERY_COMPLETION | F | T | T | F | F |
 * | 7 | END_OF_SEGMENT | F | T | F | F | F |
 *
 * ## Threading
 * Immutable; any thread.
 *
 * ## Pitfalls
 * Compare with `===` against the constants (instances are unique), or by `ordinal`.
 *
 * @example
 * DataType.fromOrdinal(buf.readByte()).isEvent();
 */
export class DataType {
  /** No data (used as "next data type" when nothing is available). */
  static readonly NONE = new DataType(0, 'NONE', false, false, false, false, false);
  /** Serialized records. */
  static readonly DATA_BUFFER = new DataType(1, 'DATA_BUFFER', true, false, false, false, false);
  /** A serialized event. */
  static readonly EVENT_BUFFER = new DataType(2, 'EVENT_BUFFER', false, true, false, false, false);
  /** An event that overtakes data (unaligned checkpoint barrier, announcements). */
  static readonly PRIORITIZED_EVENT_BUFFER = new DataType(3, 'PRIORITIZED_EVENT_BUFFER', false, true, false, true, false);
  /** A barrier of an aligned exactly-once checkpoint: blocks the channel until resumed. */
  static readonly ALIGNED_CHECKPOINT_BARRIER = new DataType(4, 'ALIGNED_CHECKPOINT_BARRIER', false, true, true, false, false);
  /** An aligned barrier that may time out into an unaligned one; its arrival is announced. */
  static readonly TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER = new DataType(
    5,
    'TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER',
    false,
    true,
    true,
    false,
    true,
  );
  /** The subpartition's recovered state was fully emitted; blocks until resumed. */
  static readonly RECOVERY_COMPLETION = new DataType(6, 'RECOVERY_COMPLETION', false, true, true, false, false);
  /** A segment of a hybrid-shuffle subpartition is finished. */
  static readonly END_OF_SEGMENT = new DataType(7, 'END_OF_SEGMENT', false, true, false, false, false);

  private static readonly VALUES: readonly DataType[] = Object.freeze([
    DataType.NONE,
    DataType.DATA_BUFFER,
    DataType.EVENT_BUFFER,
    DataType.PRIORITIZED_EVENT_BUFFER,
    DataType.ALIGNED_CHECKPOINT_BARRIER,
    DataType.TIMEOUTABLE_ALIGNED_CHECKPOINT_BARRIER,
    DataType.RECOVERY_COMPLETION,
    DataType.END_OF_SEGMENT,
  ]);

  /** All constants in ordinal order (Java's `values()`). */
  static values(): readonly DataType[] {
    return DataType.VALUES;
  }

  /** The constant with this wire ordinal; throws `IllegalArgumentException` for anything else. */
  static fromOrdinal(ordinal: number): DataType {
    const type = DataType.VALUES[ordinal];
    if (type === undefined) {
      throw new IllegalArgumentException(`Buffer.DataType ordinal ${ordinal} (expected: 0-${DataType.VALUES.length - 1})`);
    }
    return type;
  }

  private constructor(
    /** Position in Flink's enum; the wire value. */
    readonly ordinal: number,
    /** Flink's constant name. */
    readonly name: string,
    private readonly _isBuffer: boolean,
    private readonly _isEvent: boolean,
    private readonly _isBlockingUpstream: boolean,
    private readonly _hasPriority: boolean,
    private readonly _requiresAnnouncement: boolean,
  ) {
    if (_hasPriority && _requiresAnnouncement) {
      // Flink's constructor check: announcing a priority event makes no sense, it already overtakes data.
      throw new IllegalStateException(`DataType ${name} has priority and requires announcement; it cannot be both`);
    }
    Object.freeze(this);
  }

  /** True for record data. */
  isBuffer(): boolean {
    return this._isBuffer;
  }

  /** True for serialized events. */
  isEvent(): boolean {
    return this._isEvent;
  }

  /** True if consuming this type blocks the channel until `resumeConsumption()`. */
  isBlockingUpstream(): boolean {
    return this._isBlockingUpstream;
  }

  /** True if this type overtakes queued data. */
  hasPriority(): boolean {
    return this._hasPriority;
  }

  /** True if the receiver announces this type's arrival with a priority EventAnnouncement. */
  requiresAnnouncement(): boolean {
    return this._requiresAnnouncement;
  }

  toString(): string {
    return this.name;
  }
}
