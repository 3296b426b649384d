import { AbstractByteBuf } from './AbstractByteBuf';
import { checkSafeInteger, highBits, lowBits, toSafeNumber } from './ByteBufChecks';

/** Scratch memory for float/double bit conversions (single-threaded, never escapes a call). */
const SCRATCH = new DataView(new ArrayBuffer(8));

/**
 * The typed-accessor half of io.netty.buffer.AbstractByteBuf (Netty 4.1), split out by role. Differs: a
 * separate class only to keep files readable; together with {@link AbstractByteBuf} it is Netty's class.
 *
 * Implements every `get*`/`set*`/`read*`/`write*` accessor generically: bounds checks and index movement
 * here, memory access through eighteen primitives (`_getByte`, `_getInt`, `_setLongLE`, …) that a subclass
 * provides. Floats, doubles and the `*LongNumber*` variants are composed from 32-bit halves, so `bigint`
 * appears only in the `Long` primitives.
 *
 * ## Ownership
 * No reference counting here; see {@link AbstractReferenceCountedByteBuf} and the derived buffers.
 *
 * ## Pitfalls
 * Memory-backed buffers (`UnpooledHeapByteBuf`, `PooledByteBuf`) override these methods with direct
 * `DataView` fast paths; a behaviour change here must be mirrored in `AbstractHeapByteBuf`.
 */
export abstract class AbstractAccessorByteBuf extends AbstractByteBuf {
  /** Signed 8-bit value at `index` (bounds already checked). */
  protected abstract _getByte(index: number): number;
  protected abstract _getShort(index: number): number;
  protected abstract _getShortLE(index: number): number;
  protected abstract _getUnsignedMedium(index: number): number;
  protected abstract _getUnsignedMediumLE(index: number): number;
  protected abstract _getInt(index: number): number;
  protected abstract _getIntLE(index: number): number;
  protected abstract _getLong(index: number): bigint;
  protected abstract _getLongLE(index: number): bigint;
  /** Stores the low 8 bits of `value` at `index` (bounds already checked). */
  protected abstract _setByte(index: number, value: number): void;
  protected abstract _setShort(index: number, value: number): void;
  protected abstract _setShortLE(index: number, value: number): void;
  protected abstract _setMedium(index: number, value: number): void;
  protected abstract _setMediumLE(index: number, value: number): void;
  protected abstract _setInt(index: number, value: number): void;
  protected abstract _setIntLE(index: number, value: number): void;
  protected abstract _setLong(index: number, value: bigint): void;
  protected abstract _setLongLE(index: number, value: bigint): void;

  // ---------------------------------------------------------------- getters

  getBoolean(index: number): boolean { return this.getByte(index) !== 0; }
  getByte(index: number): number { this.checkIndex(index, 1); return this._getByte(index); }
  getUnsignedByte(index: number): number { return this.getByte(index) & 0xff; }
  getShort(index: number): number { this.checkIndex(index, 2); return this._getShort(index); }
  getShortLE(index: number): number { this.checkIndex(index, 2); return this._getShortLE(index); }
  getUnsignedShort(index: number): number { return this.getShort(index) & 0xffff; }
  getUnsignedShortLE(index: number): number { return this.getShortLE(index) & 0xffff; }
  getMedium(index: number): number { return (this.getUnsignedMedium(index) << 8) >> 8; }
  getMediumLE(index: number): number { return (this.getUnsignedMediumLE(index) << 8) >> 8; }
  getUnsignedMedium(index: number): number { this.checkIndex(index, 3); return this._getUnsignedMedium(index); }
  getUnsignedMediumLE(index: number): number { this.checkIndex(index, 3); return this._getUnsignedMediumLE(index); }
  getInt(index: number): number { this.checkIndex(index, 4); return this._getInt(index); }
  getIntLE(index: number): number { this.checkIndex(index, 4); return this._getIntLE(index); }
  getUnsignedInt(index: number): number { return this.getInt(index) >>> 0; }
  getUnsignedIntLE(index: number): number { return this.getIntLE(index) >>> 0; }
  getLong(index: number): bigint { this.checkIndex(index, 8); return this._getLong(index); }
  getLongLE(index: number): bigint { this.checkIndex(index, 8); return this._getLongLE(index); }
  getLongNumber(index: number): number {
    this.checkIndex(index, 8);
    return toSafeNumber(this._getInt(index), this._getInt(index + 4), index);
  }
  getLongNumberLE(index: number): number {
    this.checkIndex(index, 8);
    return toSafeNumber(this._getIntLE(index + 4), this._getIntLE(index), index);
  }
  getFloat(index: number): number { SCRATCH.setInt32(0, this.getInt(index)); return SCRATCH.getFloat32(0); }
  getFloatLE(index: number): number { SCRATCH.setInt32(0, this.getIntLE(index)); return SCRATCH.getFloat32(0); }
  getDouble(index: number): number {
    this.checkIndex(index, 8);
    SCRATCH.setInt32(0, this._getInt(index));
    SCRATCH.setInt32(4, this._getInt(index + 4));
    return SCRATCH.getFloat64(0);
  }
  getDoubleLE(index: number): number {
    this.checkIndex(index, 8);
    SCRATCH.setInt32(0, this._getIntLE(index + 4));
    SCRATCH.setInt32(4, this._getIntLE(index));
    return SCRATCH.getFloat64(0);
  }

  // ---------------------------------------------------------------- setters

  setBoolean(index: number, value: boolean): this { return this.setByte(index, value ? 1 : 0); }
  setByte(index: number, value: number): this { this.checkIndex(index, 1); this._setByte(index, value); return this; }
  setShort(index: number, value: number): this { this.checkIndex(index, 2); this._setShort(index, value); return this; }
  setShortLE(index: number, value: number): this {
    this.checkIndex(index, 2);
    this._setShortLE(index, value);
    return this;
  }
  setMedium(index: number, value: number): this {
    this.checkIndex(index, 3);
    this._setMedium(index, value);
    return this;
  }
  setMediumLE(index: number, value: number): this {
    this.checkIndex(index, 3);
    this._setMediumLE(index, value);
    return this;
  }
  setInt(index: number, value: number): this { this.checkIndex(index, 4); this._setInt(index, value); return this; }
  setIntLE(index: number, value: number): this { this.checkIndex(index, 4); this._setIntLE(index, value); return this; }
  setLong(index: number, value: bigint): this { this.checkIndex(index, 8); this._setLong(index, value); return this; }
  setLongLE(index: number, value: bigint): this {
    this.checkIndex(index, 8);
    this._setLongLE(index, value);
    return this;
  }
  setLongNumber(index: number, value: number): this {
    checkSafeInteger(value);
    this.checkIndex(index, 8);
    this._setInt(index, highBits(value));
    this._setInt(index + 4, lowBits(value));
    return this;
  }
  setLongNumberLE(index: number, value: number): this {
    checkSafeInteger(value);
    this.checkIndex(index, 8);
    this._setIntLE(index, lowBits(value));
    this._setIntLE(index + 4, highBits(value));
    return this;
  }
  setFloat(index: number, value: number): this {
    SCRATCH.setFloat32(0, value);
    return this.setInt(index, SCRATCH.getInt32(0));
  }
  setFloatLE(index: number, value: number): this {
    SCRATCH.setFloat32(0, value);
    return this.setIntLE(index, SCRATCH.getInt32(0));
  }
  setDouble(index: number, value: number): this {
    this.checkIndex(index, 8);
    SCRATCH.setFloat64(0, value);
    this._setInt(index, SCRATCH.getInt32(0));
    this._setInt(index + 4, SCRATCH.getInt32(4));
    return this;
  }
  setDoubleLE(index: number, value: number): this {
    this.checkIndex(index, 8);
    SCRATCH.setFloat64(0, value);
    this._setIntLE(index, SCRATCH.getInt32(4));
    this._setIntLE(index + 4, SCRATCH.getInt32(0));
    return this;
  }

  // ---------------------------------------------------------------- readers

  readBoolean(): boolean { return this._getByte(this.advanceReader(1)) !== 0; }
  readByte(): number { return this._getByte(this.advanceReader(1)); }
  readUnsignedByte(): number { return this._getByte(this.advanceReader(1)) & 0xff; }
  readShort(): number { return this._getShort(this.advanceReader(2)); }
  readShortLE(): number { return this._getShortLE(this.advanceReader(2)); }
  readUnsignedShort(): number { return this._getShort(this.advanceReader(2)) & 0xffff; }
  readUnsignedShortLE(): number { return this._getShortLE(this.advanceReader(2)) & 0xffff; }
  readMedium(): number { return (this._getUnsignedMedium(this.advanceReader(3)) << 8) >> 8; }
  readMediumLE(): number { return (this._getUnsignedMediumLE(this.advanceReader(3)) << 8) >> 8; }
  readUnsignedMedium(): number { return this._getUnsignedMedium(this.advanceReader(3)); }
  readUnsignedMediumLE(): number { return this._getUnsignedMediumLE(this.advanceReader(3)); }
  readInt(): number { return this._getInt(this.advanceReader(4)); }
  readIntLE(): number { return this._getIntLE(this.advanceReader(4)); }
  readUnsignedInt(): number { return this._getInt(this.advanceReader(4)) >>> 0; }
  readUnsignedIntLE(): number { return this._getIntLE(this.advanceReader(4)) >>> 0; }
  readLong(): bigint { return this._getLong(this.advanceReader(8)); }
  readLongLE(): bigint { return this._getLongLE(this.advanceReader(8)); }
  readLongNumber(): number {
    this.checkReadableBytes0(8);
    const value = this.getLongNumber(this._readerIndex);
    this._readerIndex += 8;
    return value;
  }
  readLongNumberLE(): number {
    this.checkReadableBytes0(8);
    const value = this.getLongNumberLE(this._readerIndex);
    this._readerIndex += 8;
    return value;
  }
  readFloat(): number {
    this.checkReadableBytes0(4);
    const value = this.getFloat(this._readerIndex);
    this._readerIndex += 4;
    return value;
  }
  readFloatLE(): number {
    this.checkReadableBytes0(4);
    const value = this.getFloatLE(this._readerIndex);
    this._readerIndex += 4;
    return value;
  }
  readDouble(): number {
    this.checkReadableBytes0(8);
    const value = this.getDouble(this._readerIndex);
    this._readerIndex += 8;
    return value;
  }
  readDoubleLE(): number {
    this.checkReadableBytes0(8);
    const value = this.getDoubleLE(this._readerIndex);
    this._readerIndex += 8;
    return value;
  }

  // ---------------------------------------------------------------- writers

  writeBoolean(value: boolean): this { this._setByte(this.advanceWriter(1), value ? 1 : 0); return this; }
  writeByte(value: number): this { this._setByte(this.advanceWriter(1), value); return this; }
  writeShort(value: number): this { this._setShort(this.advanceWriter(2), value); return this; }
  writeShortLE(value: number): this { this._setShortLE(this.advanceWriter(2), value); return this; }
  writeMedium(value: number): this { this._setMedium(this.advanceWriter(3), value); return this; }
  writeMediumLE(value: number): this { this._setMediumLE(this.advanceWriter(3), value); return this; }
  writeInt(value: number): this { this._setInt(this.advanceWriter(4), value); return this; }
  writeIntLE(value: number): this { this._setIntLE(this.advanceWriter(4), value); return this; }
  writeLong(value: bigint): this { this._setLong(this.advanceWriter(8), value); return this; }
  writeLongLE(value: bigint): this { this._setLongLE(this.advanceWriter(8), value); return this; }
  writeLongNumber(value: number): this {
    checkSafeInteger(value);
    this.ensureWritable0(8);
    this.setLongNumber(this._writerIndex, value);
    this._writerIndex += 8;
    return this;
  }
  writeLongNumberLE(value: number): this {
    checkSafeInteger(value);
    this.ensureWritable0(8);
    this.setLongNumberLE(this._writerIndex, value);
    this._writerIndex += 8;
    return this;
  }
  writeFloat(value: number): this {
    this.ensureWritable0(4);
    this.setFloat(this._writerIndex, value);
    this._writerIndex += 4;
    return this;
  }
  writeFloatLE(value: number): this {
    this.ensureWritable0(4);
    this.setFloatLE(this._writerIndex, value);
    this._writerIndex += 4;
    return this;
  }
  writeDouble(value: number): this {
    this.ensureWritable0(8);
    this.setDouble(this._writerIndex, value);
    this._writerIndex += 8;
    return this;
  }
  writeDoubleLE(value: number): this {
    this.ensureWritable0(8);
    this.setDoubleLE(this._writerIndex, value);
    this._writerIndex += 8;
    return this;
  }
}
