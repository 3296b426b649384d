// Flink's NettyMessageServerSideSerializationTest / NettyMessageClientSideSerializationTest (reference
// §10 scenarios 1–11) plus byte-exact frames.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { IllegalArgumentException, IllegalStateException, type ByteBuf } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import { TaskEvent } from '../../src/event/AbstractEvent';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { EventSerializer } from '../../src/event/EventSerializer';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import type { Buffer } from '../../src/memory/Buffer';
import { DataType } from '../../src/memory/DataType';
import type { LocalBufferPool } from '../../src/memory/LocalBufferPool';
import { ProtocolException } from '../../src/netty/errors';
import {
  AckAllUserRecordsProcessed,
  AddCredit,
  BacklogAnnouncement,
  BufferResponse,
  CancelPartitionRequest,
  CloseRequest,
  ErrorResponse,
  NewBufferSize,
  PartitionRequest,
  ResumeConsumption,
  SegmentId,
  TaskEventRequest,
} from '../../src/netty/message';
import { NettyMessageDecoder } from '../../src/netty/NettyMessageDecoder';
import { isPartitionNotFound, RemoteThrowable } from '../../src/netty/RemoteThrowable';
import { ExecutionGraphID, IntermediateDataSetID, JobVertexID } from '../../src/partition/AbstractID';
import { PartitionNotFoundException } from '../../src/partition/errors';
import {
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateResultPartitionID,
  ResultPartitionID,
} from '../../src/partition/ResultPartitionID';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import {
  clientRoundTrip,
  encode,
  encodeToHex,
  FakeInputChannel,
  FakeNetworkClientHandler,
  fillWithLongs,
  readAllInbound,
  serverRoundTrip,
  writeInPieces,
} from './NettyTestUtils';

installPoolChecks();

/** Flink's IntegerTaskEvent. */
class IntegerTaskEvent extends TaskEvent {
  value = 0;
  static of(value: number): IntegerTaskEvent {
    const e = new IntegerTaskEvent();
    e.value = value;
    return e;
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

const randomInt = (max = 0x7fffffff): number => Math.floor(Math.random() * max);
const hex = (text: string): string => text.replace(/[\s|]/g, '');

describe('server-side messages (encoder → NettyMessageDecoder)', () => {
  it('round-trips a PartitionRequest (scenario 1)', () => {
    const partitionId = ResultPartitionID.random();
    const receiverId = InputChannelID.random();
    const start = randomInt(1000);
    const sent = new PartitionRequest(partitionId, start, start + randomInt(1000), receiverId, randomInt());
    const got = serverRoundTrip<PartitionRequest>(sent);
    expect(got).toBeInstanceOf(PartitionRequest);
    expect(got.partitionId.equals(partitionId)).toBe(true);
    expect([got.startIndex, got.endIndex, got.credit]).toEqual([sent.startIndex, sent.endIndex, sent.credit]);
    expect(got.receiverId.equals(receiverId)).toBe(true);
  });

  it('round-trips a TaskEventRequest carrying an IntegerTaskEvent (scenario 2)', () => {
    EventSerializer.registerEventClass(INTEGER_TASK_EVENT, IntegerTaskEvent);
    try {
      const sent = new TaskEventRequest(IntegerTaskEvent.of(randomInt()), ResultPartitionID.random(), InputChannelID.random());
      const got = serverRoundTrip<TaskEventRequest>(sent);
      expect(got).toBeInstanceOf(TaskEventRequest);
      expect(got.event.equals(sent.event)).toBe(true);
      expect(got.partitionId.equals(sent.partitionId)).toBe(true);
      expect(got.receiverId.equals(sent.receiverId)).toBe(true);
    } finally {
      EventSerializer.unregisterEventClass(INTEGER_TASK_EVENT);
    }
  });

  it('round-trips CancelPartitionRequest, ResumeConsumption and AckAllUserRecordsProcessed', () => {
    const id = InputChannelID.random();
    expect(serverRoundTrip<CancelPartitionRequest>(new CancelPartitionRequest(id)).receiverId.equals(id)).toBe(true);
    expect(serverRoundTrip<ResumeConsumption>(new ResumeConsumption(id)).receiverId.equals(id)).toBe(true);
    const ack = serverRoundTrip<AckAllUserRecordsProcessed>(new AckAllUserRecordsProcessed(id));
    expect(ack).toBeInstanceOf(AckAllUserRecordsProcessed);
    expect(ack.receiverId.equals(id)).toBe(true);
  });

  it('round-trips a CloseRequest (scenario 4)', () => {
    expect(serverRoundTrip(new CloseRequest())).toBeInstanceOf(CloseRequest);
  });

  it('round-trips AddCredit with credits in [1, MAX] and rejects credit <= 0 (scenario 5)', () => {
    for (const credit of [1, randomInt() + 1, 0x7fffffff]) {
      const id = InputChannelID.random();
      const got = serverRoundTrip<AddCredit>(new AddCredit(credit, id));
      expect(got.credit).toBe(credit);
      expect(got.receiverId.equals(id)).toBe(true);
    }
    expect(() => new AddCredit(0, InputChannelID.random())).toThrow(IllegalArgumentException);
    expect(() => new AddCredit(-1, InputChannelID.random())).toThrow(IllegalArgumentException);
  });

  it('round-trips NewBufferSize (scenario 7) and SegmentId', () => {
    const id = InputChannelID.random();
    const size = randomInt() + 1;
    const got = serverRoundTrip<NewBufferSize>(new NewBufferSize(size, id));
    expect([got.bufferSize, got.receiverId.equals(id)]).toEqual([size, true]);
    const segment = serverRoundTrip<SegmentId>(new SegmentId(3, 7, id));
    expect([segment.subpartitionId, segment.segmentId, segment.receiverId.equals(id)]).toEqual([3, 7, true]);
  });
});

describe('byte-exact frames', () => {
  const receiver = new InputChannelID(0x0102030405060708n, 0x1112131415161718n);

  it('writes AddCredit as length 29, magic, id 6, credit, receiver (lower then upper part)', () => {
    expect(encodeToHex(new AddCredit(5, receiver))).toBe(hex('0000001d badc0ffe 06 | 00000005 | 0102030405060708 1112131415161718'));
  });

  it('writes a PartitionRequest with an 88-byte body in Flink 1.20 order', () => {
    const partitionId = new ResultPartitionID(
      new IntermediateResultPartitionID(new IntermediateDataSetID(1n, 2n), 3),
      new ExecutionAttemptID(new ExecutionGraphID(4n, 5n), new ExecutionVertexID(new JobVertexID(6n, 7n), 8), 9),
    );
    const expected = hex(`00000061 badc0ffe 02
      | 0000000000000001 0000000000000002 00000003
      | 0000000000000004 0000000000000005 | 0000000000000006 0000000000000007 00000008 | 00000009
      | 0000000a 0000000a | 000000000000000a 000000000000000b | 00000002`);
    const frame = encodeToHex(new PartitionRequest(partitionId, 10, 10, new InputChannelID(10n, 11n), 2));
    expect(frame).toBe(expected);
    expect(frame.length / 2).toBe(9 + 88);
  });

  it('writes CloseRequest as a bare 9-byte header and BacklogAnnouncement with id 9', () => {
    expect(encodeToHex(new CloseRequest())).toBe('00000009badc0ffe05');
    expect(encodeToHex(new BacklogAnnouncement(2, receiver))).toBe(hex('0000001d badc0ffe 09 00000002 0102030405060708 1112131415161718'));
  });

  it('writes a BufferResponse header of 38 + 4 x partials bytes followed by the payload', () => {
    const global = newGlobalPool(1, 64);
    const pool = global.createBufferPool(1, 1);
    const buffer = pool.requestBuffer()!;
    buffer.asByteBuf().writeInt(0xcafebabe | 0);
    buffer.setDataType(DataType.EVENT_BUFFER);
    const message = new BufferResponse(buffer, DataType.EVENT_BUFFER, true, 7, receiver, 3, 2, 4, [1, 3]);
    const frame = encodeToHex(message);
    pool.lazyDestroy();
    // 9 + 38 + 2 x 4 + 4 = 59 bytes
    expect(frame).toBe(
      hex(`0000003b badc0ffe 00 | 0102030405060708 1112131415161718 | 00000003 | 00000002 | 00000007 | 00000002
        | 02 | 01 | 00000004 | 00000001 00000003 | cafebabe`),
    );
    expect(buffer.isRecycled()).toBe(true);
  });

  it('writes an ErrorResponse in the Sluice error encoding version 1 (docs/protocol.md)', () => {
    const error = new RemoteThrowable('X', 'm');
    expect(encodeToHex(new ErrorResponse(error, null))).toBe(
      hex('00000025 badc0ffe 01 | 5345 01 00 00000013 | 01 | 00000001 58 | ffffffff | 00000001 6d | ffffffff | 00'),
    );
  });
});

describe('client-side messages (encoder → NettyMessageClientDecoderDelegate)', () => {
  let sendPool: LocalBufferPool;
  let receivePool: LocalBufferPool;
  let handler: FakeNetworkClientHandler;
  let channel: FakeInputChannel;

  beforeEach(() => {
    const global = newGlobalPool(8, 1024);
    sendPool = global.createBufferPool(2, 2);
    receivePool = global.createBufferPool(2, 2);
    handler = new FakeNetworkClientHandler();
    channel = handler.add(new FakeInputChannel(InputChannelID.random(), receivePool));
  });

  afterEach(() => {
    sendPool.lazyDestroy();
    receivePool.lazyDestroy();
  });

  it.each([
    ['with a message', new IllegalStateException('Illegal state')],
    ['without a message', new IllegalStateException('')],
  ])('round-trips an ErrorResponse with a receiver id, %s (scenario 8)', (_name, cause) => {
    const id = InputChannelID.random();
    const got = clientRoundTrip<ErrorResponse>(new ErrorResponse(cause, id));
    expect(got).toBeInstanceOf(ErrorResponse);
    expect(got.cause).toBeInstanceOf(RemoteThrowable);
    const remote = got.cause as RemoteThrowable;
    expect(remote.className).toBe('IllegalStateException');
    expect(remote.message).toBe(cause.message);
    expect(remote.remoteCode).toBe('SLUICE_ILLEGAL_STATE');
    expect(remote.remoteStack).toContain('IllegalStateException');
    expect(got.receiverId!.equals(id)).toBe(true);
    expect(got.isFatalError()).toBe(false);
  });

  it('round-trips a fatal ErrorResponse with its cause chain', () => {
    const cause = new Error('outer', { cause: new TypeError('inner') });
    const got = clientRoundTrip<ErrorResponse>(new ErrorResponse(cause));
    expect(got.isFatalError()).toBe(true);
    const remote = got.cause as RemoteThrowable;
    expect([remote.className, remote.message]).toEqual(['Error', 'outer']);
    const inner = remote.cause as RemoteThrowable;
    expect([inner.className, inner.message, inner.cause]).toEqual(['TypeError', 'inner', undefined]);
  });

  it('keeps PartitionNotFoundException recognisable across the wire', () => {
    const got = clientRoundTrip<ErrorResponse>(new ErrorResponse(new PartitionNotFoundException(ResultPartitionID.random()), InputChannelID.random()));
    expect(isPartitionNotFound(got.cause)).toBe(true);
    expect(isPartitionNotFound(new RemoteThrowable('IllegalStateException', 'x'))).toBe(false);
    // A re-sent RemoteThrowable keeps its remote class name.
    const again = clientRoundTrip<ErrorResponse>(new ErrorResponse(got.cause));
    expect((again.cause as RemoteThrowable).className).toBe('PartitionNotFoundException');
  });

  it('round-trips a BacklogAnnouncement', () => {
    const id = InputChannelID.random();
    const got = clientRoundTrip<BacklogAnnouncement>(new BacklogAnnouncement(13, id));
    expect([got.backlog, got.receiverId.equals(id)]).toEqual([13, true]);
  });

  function checkBufferResponse(source: Buffer, sender: Buffer): void {
    const sent = BufferResponse.forBuffer(source, 5, channel.id, 4, 9);
    const got = clientRoundTrip<BufferResponse>(sent, handler);
    // The sender's buffer was handed to the pipeline and released by it.
    expect(sender.isRecycled()).toBe(true);
    try {
      expect([got.sequenceNumber, got.subpartitionId, got.backlog, got.bufferSize]).toEqual([5, 4, 9, 1024]);
      expect(got.dataType).toBe(DataType.DATA_BUFFER);
      expect(got.isCompressed).toBe(false);
      expect(got.receiverId.equals(channel.id)).toBe(true);
      // The payload was copied into a buffer of the channel's pool.
      expect(got.buffer).toBe(channel.handedOut[0]);
      const payload = got.buffer!.asByteBuf();
      expect(payload.readableBytes()).toBe(1024);
      for (let i = 0; i < 128; i++) expect(payload.getLongNumber(i * 8)).toBe(i * 8);
      expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(1);
    } finally {
      got.releaseBuffer();
    }
    expect(got.buffer!.isRecycled()).toBe(true);
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
  }

  it('round-trips a 1024-byte BufferResponse into a buffer of the channel (scenario 10)', () => {
    const sender = fillWithLongs(sendPool.requestBuffer()!, 1024);
    checkBufferResponse(sender, sender);
  });

  it('round-trips a BufferResponse whose source is a read-only slice (scenario 11)', () => {
    const sender = fillWithLongs(sendPool.requestBuffer()!, 1024);
    checkBufferResponse(sender.readOnlySlice(), sender);
  });

  it('receives an event into an unpooled buffer of exactly its size, with partial sizes and compression', () => {
    const event = EventSerializer.toBuffer(EndOfPartitionEvent.INSTANCE, false);
    const size = event.readableBytes();
    const sent = new BufferResponse(event, event.getDataType(), true, 1, channel.id, 0, 0, size, [size]);
    const got = clientRoundTrip<BufferResponse>(sent, handler);
    try {
      expect(got.dataType).toBe(DataType.EVENT_BUFFER);
      expect(got.partialBufferSizes).toEqual([size]);
      expect(got.buffer!.getMaxCapacity()).toBe(size);
      expect(got.buffer!.isCompressed()).toBe(true);
      expect(channel.requests).toBe(0);
    } finally {
      got.releaseBuffer();
    }
  });

  it('gives the buffer of an empty data BufferResponse back at once', () => {
    const empty = sendPool.requestBuffer()!;
    const got = clientRoundTrip<BufferResponse>(BufferResponse.forBuffer(empty, 0, channel.id, 0, 2), handler);
    expect(got.buffer).toBeNull();
    expect([got.bufferSize, got.backlog]).toEqual([0, 2]);
    expect(channel.requests).toBe(1);
    expect(receivePool.bestEffortGetNumOfUsedBuffers()).toBe(0);
  });

  it('decodes a BufferResponse with a retained payload slice in push mode (NettyMessageDecoder clientSide)', () => {
    const sender = fillWithLongs(sendPool.requestBuffer()!, 1024);
    const decoder = new EmbeddedChannel(new NettyMessageDecoder({ clientSide: true }));
    writeInPieces(decoder, encode(BufferResponse.forBuffer(sender, 3, channel.id, 0, 1), new BacklogAnnouncement(1, channel.id)), [10, 500]);
    const [response, backlog] = readAllInbound(decoder) as [BufferResponse, BacklogAnnouncement];
    try {
      expect(response.buffer).toBeNull();
      expect(response.payload!.readableBytes()).toBe(1024);
      expect(response.payload!.getLongNumber(1016)).toBe(1016);
      expect(backlog).toBeInstanceOf(BacklogAnnouncement);
    } finally {
      response.releaseBuffer();
      decoder.finishAndReleaseAll();
    }
  });
});

describe('readFrom validation', () => {
  it('rejects wrong body lengths and out-of-range values with a ProtocolException', () => {
    const body = encode(new AddCredit(1, InputChannelID.random()));
    try {
      body.skipBytes(9);
      expect(() => AddCredit.readFrom(body.slice(body.readerIndex(), 19))).toThrow(/AddCredit: body of 19 bytes \(expected: 20\)/);
      body.setInt(9, 0);
      expect(() => AddCredit.readFrom(body.slice())).toThrow(ProtocolException);
      expect(() => AddCredit.readFrom(body.slice())).toThrow('AddCredit: credit 0 (expected: >= 1)');
    } finally {
      body.release();
    }
  });
});
