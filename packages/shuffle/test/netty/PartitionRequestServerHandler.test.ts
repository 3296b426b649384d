// PartitionRequestServerHandler + PartitionRequestQueue in an EmbeddedChannel (no codec: NettyMessage
// objects in and out) over real pipelined partitions: requests, credit, cancel (scenario 83), close,
// protocol errors, partition-request listeners (request before registration, timeout) and push mode.
import { describe, expect, it } from '@jest/globals';
import { EmbeddedChannel, IllegalStateException, UnsupportedOperationException, type ByteBuf } from '@sluice/channel';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { EndOfSuperstepEvent } from '../../src/event';
import { DataType } from '../../src/memory';
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
import { NettyMessageClientDecoderDelegate } from '../../src/netty/NettyMessageClientDecoderDelegate';
import { NettyMessageDecoder } from '../../src/netty/NettyMessageDecoder';
import { NettyMessageEncoder } from '../../src/netty/NettyMessageEncoder';
import { PartitionRequestQueue } from '../../src/netty/PartitionRequestQueue';
import { PartitionRequestServerHandler } from '../../src/netty/PartitionRequestServerHandler';
import type { TaskEventPublisher } from '../../src/network/TaskEventPublisher';
import { PartitionNotFoundException, ResultPartitionFactory, ResultPartitionID, ResultPartitionManager, ResultPartitionType } from '../../src/partition';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { createFilledFinishedBufferConsumer } from '../partition/PartitionTestUtils';
import { encode, FakeInputChannel, FakeNetworkClientHandler, readAllInbound } from './NettyTestUtils';
import { closeAndRelease, drainBufferResponses, readAllOutbound, releaseAll, ServerTestPartition } from './PartitionRequestQueueTestUtils';

installPoolChecks();

// The leak and pool checks run in afterEach hooks registered before ours: clean up inside each test.
const toDispose: (() => void)[] = [];
function t(body: () => void | Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } finally {
      for (const dispose of toDispose.splice(0).reverse()) dispose();
    }
  };
}

function serverChannel(manager: ResultPartitionManager, options: { creditBased?: boolean; publisher?: TaskEventPublisher | null } = {}) {
  const queue = new PartitionRequestQueue();
  const handler = new PartitionRequestServerHandler(manager, options.publisher ?? null, queue, options.creditBased ?? true);
  const channel = new EmbeddedChannel(handler, queue);
  toDispose.push(() => closeAndRelease(channel));
  return { queue, channel };
}

function withPartition(options: { subpartitions?: number } = {}) {
  const p = new ServerTestPartition({ subpartitions: options.subpartitions ?? 1 });
  toDispose.push(() => p.dispose());
  return p;
}

describe('PartitionRequestServerHandler', () => {
  it('creates a reader for a PartitionRequest and sends as much data as the initial credit allows', t(() => {
    const p = withPartition();
    const { queue, channel } = serverChannel(p.manager);
    p.addData(0, 5);
    const receiverId = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, receiverId, 2));

    const responses = drainBufferResponses(channel);
    expect(responses.map((r) => r.sequenceNumber)).toEqual([0, 1]);
    expect(responses.every((r) => r.receiverId.equals(receiverId) && r.subpartitionId === 0)).toBe(true);
    expect(queue.hasReader(receiverId)).toBe(true);

    channel.writeInbound(new AddCredit(3, receiverId));
    expect(drainBufferResponses(channel).map((r) => r.sequenceNumber)).toEqual([2, 3, 4]);
  }));

  it('releases the producer view on CancelPartitionRequest and sends nothing more (scenario 83)', t(() => {
    const p = withPartition();
    const { queue, channel } = serverChannel(p.manager);
    p.addData(0, 2);
    const receiverId = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, receiverId, 1));
    expect(drainBufferResponses(channel)).toHaveLength(1);
    const reader = queue.getReader(receiverId)!;

    channel.writeInbound(new CancelPartitionRequest(receiverId));
    expect(reader.isReleased()).toBe(true);
    expect(queue.hasReader(receiverId)).toBe(false);
    // An infinite producer keeps writing: nothing reaches the cancelled consumer.
    p.addData(0, 3);
    channel.runPendingTasks();
    expect(readAllOutbound(channel)).toEqual([]);
    // A second cancel (or one for an unknown channel) is ignored.
    channel.writeInbound(new CancelPartitionRequest(receiverId));
    expect(channel.isOpen()).toBe(true);
  }));

  it('closes the connection and releases every reader on CloseRequest', t(() => {
    const p = withPartition({ subpartitions: 2 });
    const { queue, channel } = serverChannel(p.manager);
    const ids = [InputChannelID.random(), InputChannelID.random()];
    ids.forEach((id, i) => channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), i, i, id, 2)));
    const readers = ids.map((id) => queue.getReader(id)!);
    channel.writeInbound(new CloseRequest());
    expect(channel.isOpen()).toBe(false);
    expect(readers.map((r) => r.isReleased())).toEqual([true, true]);
  }));

  it('fails the whole connection for AddCredit to an unknown receiver ("No reader for receiverId = … exists.")', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager);
    const known = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, known, 2));
    const unknown = InputChannelID.random();
    channel.writeInbound(new AddCredit(1, unknown));

    const error = channel.readOutbound<ErrorResponse>();
    expect(error).toBeInstanceOf(ErrorResponse);
    expect(error!.isFatalError()).toBe(true);
    expect(error!.cause).toBeInstanceOf(IllegalStateException);
    expect(error!.cause.message).toBe(`No reader for receiverId = ${unknown.toString()} exists.`);
    expect(channel.isOpen()).toBe(false);
    // AddCredit with credit <= 0 cannot even be built.
    expect(() => new AddCredit(0, known)).toThrow();
  }));

  it('answers a failing request of one channel with an ErrorResponse for that channel only', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager);
    const first = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, first, 2));
    // Pipelined subpartitions are consumed once: a second request for the same one fails.
    const second = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, second, 2));
    const error = channel.readOutbound<ErrorResponse>();
    expect(error).toBeInstanceOf(ErrorResponse);
    expect(error!.receiverId!.equals(second)).toBe(true);
    expect(error!.cause).toBeInstanceOf(IllegalStateException);
    expect(channel.isOpen()).toBe(true);

    // ResumeConsumption for a reader that is not blocked: that channel's error, not the connection's.
    channel.writeInbound(new ResumeConsumption(first));
    const resumeError = channel.readOutbound<ErrorResponse>();
    expect(resumeError!.receiverId!.equals(first)).toBe(true);
    expect(resumeError!.cause.message).toContain('Should be blocked by checkpoint');
    expect(channel.isOpen()).toBe(true);
  }));

  it('forwards NewBufferSize and AckAllUserRecordsProcessed, and ignores a size for an unknown channel', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager);
    const receiverId = InputChannelID.random();
    channel.writeInbound(new NewBufferSize(100, receiverId)); // before the request: ignored
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, receiverId, 2));
    channel.writeInbound(new NewBufferSize(96, receiverId));
    expect(p.addData(0, 1, 8)).toBe(96);
    channel.writeInbound(new AckAllUserRecordsProcessed(receiverId));
    drainBufferResponses(channel);
    expect(channel.isOpen()).toBe(true);
  }));

  it('answers SegmentId as unsupported and publishes task events', t(() => {
    const p = withPartition();
    const published: string[] = [];
    const publisher: TaskEventPublisher = {
      publish: (partitionId, event) => {
        if (!partitionId.equals(p.partition.getPartitionId())) return false;
        published.push(event.constructor.name);
        return true;
      },
    };
    const { channel } = serverChannel(p.manager, { publisher });
    const receiverId = InputChannelID.random();
    channel.writeInbound(new SegmentId(0, 1, receiverId));
    const unsupported = channel.readOutbound<ErrorResponse>();
    expect(unsupported!.cause).toBeInstanceOf(UnsupportedOperationException);
    expect(unsupported!.receiverId!.equals(receiverId)).toBe(true);

    channel.writeInbound(new TaskEventRequest(EndOfSuperstepEvent.INSTANCE, p.partition.getPartitionId(), receiverId));
    expect(published).toEqual(['EndOfSuperstepEvent']);
    channel.writeInbound(new TaskEventRequest(EndOfSuperstepEvent.INSTANCE, ResultPartitionID.random(), receiverId));
    const notFound = channel.readOutbound<ErrorResponse>();
    expect(notFound!.receiverId!.equals(receiverId)).toBe(true);
    expect(notFound!.cause.message).toContain('Task event receiver not found');
    expect(channel.isOpen()).toBe(true);
  }));

  it('fails the connection for a message a server never receives', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager);
    channel.writeInbound(new BacklogAnnouncement(1, InputChannelID.random()));
    const error = channel.readOutbound<ErrorResponse>();
    expect(error!.isFatalError()).toBe(true);
    expect(error!.cause.message).toContain('BacklogAnnouncement');
    expect(channel.isOpen()).toBe(false);
  }));

  it('sends without credit in push mode (Flink 1.4): no AddCredit needed, no backlog announcement', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager, { creditBased: false });
    p.addData(0, 6);
    const receiverId = InputChannelID.random();
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, receiverId, 0));
    const responses = drainBufferResponses(channel);
    expect(responses.map((r) => r.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5]);
    // Data added later is pushed as soon as it is available.
    p.addData(0, 2);
    channel.runPendingTasks();
    expect(drainBufferResponses(channel).map((r) => r.sequenceNumber)).toEqual([6, 7]);
    // AddCredit is meaningless but harmless.
    channel.writeInbound(new AddCredit(5, receiverId));
    expect(readAllOutbound(channel)).toEqual([]);
  }));

  describe('partition-request listeners', () => {
    function unregisteredPartition(subpartitions = 1, timeoutMs = 10000) {
      const global = newGlobalPool(64, 128);
      const manager = new ResultPartitionManager({ partitionRequestListenerTimeoutMs: timeoutMs });
      const factory = new ResultPartitionFactory(manager, { networkBufferPool: global });
      const partition = factory.create({ numberOfSubpartitions: subpartitions, partitionType: ResultPartitionType.PIPELINED_BOUNDED });
      const pool = global.createBufferPool(8, 8);
      toDispose.push(() => {
        partition.release();
        partition.close();
        pool.lazyDestroy();
      });
      return { manager, partition, pool };
    }

    it('serves a request that arrived before the partition registered once it registers', t(() => {
      const { manager, partition, pool } = unregisteredPartition();
      const { queue, channel } = serverChannel(manager);
      const receiverId = InputChannelID.random();
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, receiverId, 2));
      expect(readAllOutbound(channel)).toEqual([]);
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(1);
      expect(queue.hasReader(receiverId)).toBe(true);
      expect(queue.getReader(receiverId)!.hasSubpartitionView()).toBe(false);

      partition.setup(); // registers: the waiting request gets its view
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
      expect(queue.getReader(receiverId)!.hasSubpartitionView()).toBe(true);
      const subpartition = partition.getAllPartitions()[0]!;
      subpartition.add(createFilledFinishedBufferConsumer(pool, 32));
      subpartition.flush();
      channel.runPendingTasks();
      const responses = drainBufferResponses(channel);
      expect(responses).toHaveLength(1);
      expect(responses[0]!.receiverId.equals(receiverId)).toBe(true);
      expect(responses[0]!.dataType).toBe(DataType.DATA_BUFFER);
      // The timeout was cancelled: nothing fires later.
      channel.advanceTimeBy(20000);
      channel.runPendingTasks();
      expect(readAllOutbound(channel)).toEqual([]);
    }));

    it('answers PartitionNotFound for the receiver when the partition does not register in time', t(() => {
      const { manager, partition } = unregisteredPartition(1, 500);
      const { queue, channel } = serverChannel(manager);
      channel.freezeTime();
      const receiverId = InputChannelID.random();
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, receiverId, 2));
      channel.advanceTimeBy(499);
      channel.runPendingTasks();
      expect(readAllOutbound(channel)).toEqual([]);

      channel.advanceTimeBy(1);
      channel.runPendingTasks();
      const error = channel.readOutbound<ErrorResponse>();
      expect(error).toBeInstanceOf(ErrorResponse);
      expect(error!.cause).toBeInstanceOf(PartitionNotFoundException);
      expect((error!.cause as PartitionNotFoundException).partitionId.equals(partition.getPartitionId())).toBe(true);
      expect(error!.receiverId!.equals(receiverId)).toBe(true);
      expect(queue.hasReader(receiverId)).toBe(false);
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
      expect(channel.isOpen()).toBe(true);

      // Registering later does not revive the request; the retriggered request then succeeds.
      partition.setup();
      channel.runPendingTasks();
      expect(readAllOutbound(channel)).toEqual([]);
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, receiverId, 2));
      expect(queue.getReader(receiverId)!.hasSubpartitionView()).toBe(true);
    }));

    it('stops waiting when the request is cancelled or the connection closes', t(() => {
      const { manager, partition } = unregisteredPartition(2);
      const { channel } = serverChannel(manager);
      const [a, b] = [InputChannelID.random(), InputChannelID.random()];
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, a, 2));
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 1, 1, b, 2));
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(2);
      channel.writeInbound(new CancelPartitionRequest(a));
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(1);
      channel.close();
      expect(manager.getNumberOfWaitingPartitionRequests()).toBe(0);
      // Registration afterwards creates no views for the gone requests.
      partition.setup();
      expect(partition.getAllPartitions().map((s) => s.toString()).every((s) => s.includes('read view? false'))).toBe(true);
    }));

    it('answers PartitionNotFound at once when the partition is released while requests wait', t(() => {
      const { manager, partition } = unregisteredPartition();
      const { channel } = serverChannel(manager);
      const receiverId = InputChannelID.random();
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, receiverId, 2));
      manager.releasePartition(partition.getPartitionId());
      channel.runPendingTasks();
      const error = channel.readOutbound<ErrorResponse>();
      expect(error!.cause).toBeInstanceOf(PartitionNotFoundException);
      expect(error!.receiverId!.equals(receiverId)).toBe(true);
    }));

    it('keeps the old behaviour for providers without listeners: PartitionNotFound at once', t(() => {
      const { partition, manager } = unregisteredPartition();
      const plain = { createSubpartitionView: manager.createSubpartitionView.bind(manager) };
      const queue = new PartitionRequestQueue();
      const channel = new EmbeddedChannel(new PartitionRequestServerHandler(plain, null, queue), queue);
      toDispose.push(() => closeAndRelease(channel));
      const receiverId = InputChannelID.random();
      channel.writeInbound(new PartitionRequest(partition.getPartitionId(), 0, 0, receiverId, 2));
      const error = channel.readOutbound<ErrorResponse>();
      expect(error!.cause).toBeInstanceOf(PartitionNotFoundException);
      expect(error!.receiverId!.equals(receiverId)).toBe(true);
    }));
  });

  it('writes BufferResponses whose buffers are the subpartition slices (released with the message)', t(() => {
    const p = withPartition();
    const { channel } = serverChannel(p.manager);
    p.addData(0, 1, 48);
    channel.writeInbound(new PartitionRequest(p.partition.getPartitionId(), 0, 0, InputChannelID.random(), 1));
    const response = channel.readOutbound<BufferResponse>()!;
    expect(response.bufferSize).toBe(48);
    expect([...response.buffer!.getNioBufferReadable()]).toEqual(Array.from({ length: 48 }, (_, i) => i));
    response.releaseBuffer();
  }));

  it('serves encoded requests through the real codec; the client decoder reads the payload into its own buffer', t(() => {
    const p = withPartition();
    p.addData(0, 2, 40);
    const queue = new PartitionRequestQueue();
    const server = new EmbeddedChannel(new NettyMessageEncoder(), new NettyMessageDecoder(), new PartitionRequestServerHandler(p.manager, null, queue), queue);
    toDispose.push(() => server.finishAndReleaseAll());
    const receiverId = InputChannelID.random();
    server.writeInbound(encode(new PartitionRequest(p.partition.getPartitionId(), 0, 0, receiverId, 2)));

    const clientPool = p.env.global.createBufferPool(4, 4);
    const clientHandler = new FakeNetworkClientHandler();
    clientHandler.add(new FakeInputChannel(receiverId, clientPool));
    const client = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(clientHandler));
    try {
      for (let piece = server.readOutbound<ByteBuf>(); piece !== null; piece = server.readOutbound<ByteBuf>()) client.writeInbound(piece);
      const decoded = readAllInbound(client) as BufferResponse[];
      try {
        expect(decoded.map((r) => [r.sequenceNumber, r.backlog, r.bufferSize])).toEqual([
          [0, 1, 40],
          [1, 0, 40],
        ]);
        expect([...decoded[1]!.buffer!.getNioBufferReadable()]).toEqual(Array.from({ length: 40 }, (_, i) => i));
        expect(decoded.every((r) => r.receiverId.equals(receiverId))).toBe(true);
      } finally {
        for (const r of decoded) r.releaseBuffer();
      }
    } finally {
      client.finishAndReleaseAll();
      clientPool.lazyDestroy();
    }
  }));
});
