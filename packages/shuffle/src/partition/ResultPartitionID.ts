import { IllegalArgumentException, Unpooled, type ByteBuf } from '@sluice/channel';
import { AbstractID, ExecutionGraphID, IntermediateDataSetID, JobVertexID, checkNonNegativeInt } from './AbstractID';

export { AbstractID, ExecutionGraphID, IntermediateDataSetID, JobVertexID } from './AbstractID';

/**
 * Port of org.apache.flink.runtime.jobgraph.IntermediateResultPartitionID (Flink 1.20). Differs: halves of
 * the data-set id are `bigint`s (see {@link AbstractID}).
 *
 * One partition of an intermediate data set: the data-set id (16 bytes) and the partition number (int).
 * Wire layout (reference §1.2): IntermediateDataSetID (lower, upper) then int partitionNum = 20 bytes.
 *
 * ## Threading
 * Immutable; any thread.
 */
export class IntermediateResultPartitionID {
  /** Bytes on the wire. */
  static readonly SIZE = AbstractID.SIZE + 4;

  constructor(
    readonly intermediateDataSetID: IntermediateDataSetID,
    readonly partitionNum: number,
  ) {
    checkNonNegativeInt(partitionNum, 'partitionNum');
  }

  /** A random data-set id with partition number 0 (Flink's no-arg constructor). */
  static random(partitionNum = 0): IntermediateResultPartitionID {
    return new IntermediateResultPartitionID(IntermediateDataSetID.random(), partitionNum);
  }

  /** Reads 20 bytes at the reader index. */
  static fromByteBuf(buf: ByteBuf): IntermediateResultPartitionID {
    const dataSet = IntermediateDataSetID.fromByteBuf(buf);
    return new IntermediateResultPartitionID(dataSet, buf.readInt());
  }

  /** Writes 20 bytes. */
  writeTo(buf: ByteBuf): void {
    this.intermediateDataSetID.writeTo(buf);
    buf.writeInt(this.partitionNum);
  }

  equals(other: unknown): boolean {
    return (
      other instanceof IntermediateResultPartitionID &&
      other.partitionNum === this.partitionNum &&
      other.intermediateDataSetID.equals(this.intermediateDataSetID)
    );
  }

  /** Flink's format: `<dataSetHex>#<partitionNum>`. */
  toString(): string {
    return `${this.intermediateDataSetID.toString()}#${this.partitionNum}`;
  }
}

/**
 * Port of org.apache.flink.runtime.scheduler.strategy.ExecutionVertexID (Flink 1.20): job vertex id (16
 * bytes) + subtask index (int) = 20 bytes on the wire.
 */
export class ExecutionVertexID {
  /** Bytes on the wire. */
  static readonly SIZE = AbstractID.SIZE + 4;

  constructor(
    readonly jobVertexId: JobVertexID,
    readonly subtaskIndex: number,
  ) {
    checkNonNegativeInt(subtaskIndex, 'subtaskIndex');
  }

  /** Reads 20 bytes at the reader index. */
  static fromByteBuf(buf: ByteBuf): ExecutionVertexID {
    const vertex = JobVertexID.fromByteBuf(buf);
    return new ExecutionVertexID(vertex, buf.readInt());
  }

  /** Writes 20 bytes. */
  writeTo(buf: ByteBuf): void {
    this.jobVertexId.writeTo(buf);
    buf.writeInt(this.subtaskIndex);
  }

  equals(other: unknown): boolean {
    return other instanceof ExecutionVertexID && other.subtaskIndex === this.subtaskIndex && other.jobVertexId.equals(this.jobVertexId);
  }

  toString(): string {
    return `${this.jobVertexId.toString()}_${this.subtaskIndex}`;
  }
}

/**
 * Port of org.apache.flink.runtime.executiongraph.ExecutionAttemptID (Flink 1.20, the ≥1.16 layout).
 *
 * One execution attempt of a subtask: ExecutionGraphID (16) + ExecutionVertexID (20) + int attemptNumber
 * (4) = 40 bytes on the wire (reference §1.2).
 *
 * ## Threading
 * Immutable; any thread.
 */
export class ExecutionAttemptID {
  /** Bytes on the wire. */
  static readonly SIZE = AbstractID.SIZE + ExecutionVertexID.SIZE + 4;

  constructor(
    readonly executionGraphId: ExecutionGraphID,
    readonly executionVertexId: ExecutionVertexID,
    readonly attemptNumber: number,
  ) {
    checkNonNegativeInt(attemptNumber, 'attemptNumber');
  }

  /** Random graph and vertex ids, subtask 0, attempt 0 (Flink's `randomId()`). */
  static random(): ExecutionAttemptID {
    return new ExecutionAttemptID(ExecutionGraphID.random(), new ExecutionVertexID(JobVertexID.random(), 0), 0);
  }

  /** Reads 40 bytes at the reader index. */
  static fromByteBuf(buf: ByteBuf): ExecutionAttemptID {
    const graph = ExecutionGraphID.fromByteBuf(buf);
    const vertex = ExecutionVertexID.fromByteBuf(buf);
    return new ExecutionAttemptID(graph, vertex, buf.readInt());
  }

  /** Writes 40 bytes. */
  writeTo(buf: ByteBuf): void {
    this.executionGraphId.writeTo(buf);
    this.executionVertexId.writeTo(buf);
    buf.writeInt(this.attemptNumber);
  }

  equals(other: unknown): boolean {
    return (
      other instanceof ExecutionAttemptID &&
      other.attemptNumber === this.attemptNumber &&
      other.executionGraphId.equals(this.executionGraphId) &&
      other.executionVertexId.equals(this.executionVertexId)
    );
  }

  /** Flink's format: `<graph>_<jobVertex>_<subtask>_<attempt>`. */
  toString(): string {
    return `${this.executionGraphId.toString()}_${this.executionVertexId.jobVertexId.toString()}_${this.executionVertexId.subtaskIndex}_${this.attemptNumber}`;
  }
}

/**
 * Port of org.apache.flink.runtime.io.network.partition.ResultPartitionID (Flink 1.20). Differs: adds
 * {@link key} — a stable string for `Map` keys, since JavaScript maps compare objects by identity.
 *
 * Identifies a result partition at runtime: which partition (`partitionId`) produced by which execution
 * attempt (`producerId`). On the wire: partitionId (20 bytes) then producerId (40 bytes) = 60 bytes.
 *
 * ## Threading
 * Immutable; any thread.
 *
 * @example
 * const id = ResultPartitionID.random();
 * map.set(id.key(), partition);
 */
export class ResultPartitionID {
  /** Bytes on the wire. */
  static readonly SIZE = IntermediateResultPartitionID.SIZE + ExecutionAttemptID.SIZE;

  private cachedKey: string | undefined;

  constructor(
    readonly partitionId: IntermediateResultPartitionID,
    readonly producerId: ExecutionAttemptID,
  ) {}

  /** Random partition and producer ids (Flink's no-arg constructor, used by tests). */
  static random(): ResultPartitionID {
    return new ResultPartitionID(IntermediateResultPartitionID.random(), ExecutionAttemptID.random());
  }

  /** Reads 60 bytes at the reader index. */
  static fromByteBuf(buf: ByteBuf): ResultPartitionID {
    const partitionId = IntermediateResultPartitionID.fromByteBuf(buf);
    return new ResultPartitionID(partitionId, ExecutionAttemptID.fromByteBuf(buf));
  }

  /** Writes 60 bytes: partition id, then producer id. */
  writeTo(buf: ByteBuf): void {
    this.partitionId.writeTo(buf);
    this.producerId.writeTo(buf);
  }

  /** The 60 wire bytes as lower-case hex (for JSON, e.g. in shuffle descriptors). */
  toHex(): string {
    const buf = Unpooled.buffer(ResultPartitionID.SIZE, ResultPartitionID.SIZE);
    try {
      this.writeTo(buf);
      let hex = '';
      for (let i = 0; i < ResultPartitionID.SIZE; i++) hex += buf.getUnsignedByte(i).toString(16).padStart(2, '0');
      return hex;
    } finally {
      buf.release();
    }
  }

  /** Parses {@link toHex}'s output. */
  static fromHex(hex: string): ResultPartitionID {
    if (typeof hex !== 'string' || !/^[0-9a-fA-F]{120}$/.test(hex)) {
      throw new IllegalArgumentException(`not a ResultPartitionID in hex (expected 120 hex digits): '${String(hex)}'`);
    }
    const buf = Unpooled.wrappedBuffer(globalThis.Buffer.from(hex, 'hex'));
    try {
      return ResultPartitionID.fromByteBuf(buf);
    } finally {
      buf.release();
    }
  }

  equals(other: unknown): boolean {
    return other instanceof ResultPartitionID && other.partitionId.equals(this.partitionId) && other.producerId.equals(this.producerId);
  }

  /** A stable string equal for equal ids (for `Map` keys); currently `toString()`. */
  key(): string {
    return (this.cachedKey ??= this.toString());
  }

  /** Flink's format: `<partitionId>@<producerId>`. */
  toString(): string {
    return `${this.partitionId.toString()}@${this.producerId.toString()}`;
  }
}
