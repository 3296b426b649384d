import { describe, expect, it } from '@jest/globals';
import { Unpooled } from '@sluice/channel';
import fc from 'fast-check';
import {
  AbstractID,
  ExecutionAttemptID,
  ExecutionGraphID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobVertexID,
  ResultPartitionID,
} from '../../src/partition';

describe('AbstractID and the partition ids', () => {
  it('writes the lower part, then the upper part, big-endian', () => {
    const id = new AbstractID(0x0102030405060708n, -1n);
    const buf = Unpooled.buffer(16);
    try {
      id.writeTo(buf);
      expect([...buf.nioBuffer(0, 16)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 255, 255, 255, 255, 255, 255, 255, 255]);
      expect(id.toHexString()).toBe('0102030405060708ffffffffffffffff');
      expect(AbstractID.fromByteBuf(buf).equals(id)).toBe(true);
    } finally {
      buf.release();
    }
  });

  it('reduces halves to signed 64-bit values', () => {
    const id = new AbstractID(1n << 64n, (1n << 63n) + 5n);
    expect(id.lowerPart).toBe(0n);
    expect(id.upperPart).toBe(-(1n << 63n) + 5n);
  });

  it('lays out ResultPartitionID as 20 + 40 = 60 bytes and round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.nat(), fc.nat(), fc.nat(), (half, partitionNum, subtask, attempt) => {
        const id = new ResultPartitionID(
          new IntermediateResultPartitionID(new IntermediateDataSetID(half, -half), partitionNum),
          new ExecutionAttemptID(new ExecutionGraphID(half, 7n), new ExecutionVertexID(new JobVertexID(3n, half), subtask), attempt),
        );
        const buf = Unpooled.buffer(64);
        try {
          id.writeTo(buf);
          expect(buf.readableBytes()).toBe(ResultPartitionID.SIZE);
          expect(ResultPartitionID.SIZE).toBe(60);
          expect(buf.getInt(16)).toBe(partitionNum); // data set id (16) then partitionNum
          expect(buf.getInt(20 + 36)).toBe(attempt); // graph (16) + vertex (20) then attempt
          const back = ResultPartitionID.fromByteBuf(buf);
          expect(back.equals(id)).toBe(true);
          expect(back.key()).toBe(id.key());
        } finally {
          buf.release();
        }
      }),
    );
  });

  it('gives random ids distinct keys and Flink-shaped strings', () => {
    const a = ResultPartitionID.random();
    const b = ResultPartitionID.random();
    expect(a.equals(b)).toBe(false);
    expect(a.key()).not.toBe(b.key());
    expect(a.toString()).toMatch(/^[0-9a-f]{32}#0@[0-9a-f]{32}_[0-9a-f]{32}_0_0$/);
    expect(new IntermediateDataSetID(1n, 2n).equals(new JobVertexID(1n, 2n))).toBe(false);
  });

  it('rejects negative partition numbers', () => {
    expect(() => new IntermediateResultPartitionID(IntermediateDataSetID.random(), -1)).toThrow(/partitionNum/);
  });
});
