import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ChannelOutboundHandlerAdapter, EmbeddedChannel, type ChannelHandlerContext, type ChannelPromise } from '@sluice/channel';
import { RemoteInputChannel, type RemoteInputChannelOptions } from '../../src/consumer/RemoteInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { TaskEvent } from '../../src/event/AbstractEvent';
import { ConnectionID } from '../../src/network/ConnectionID';
import { CreditBasedPartitionRequestClientHandler } from '../../src/netty/CreditBasedPartitionRequestClientHandler';
import { LocalTransportException } from '../../src/netty/errors';
import { AckAllUserRecordsProcessed } from '../../src/netty/message/AckAllUserRecordsProcessed';
import { CancelPartitionRequest } from '../../src/netty/message/CancelPartitionRequest';
import { CloseRequest } from '../../src/netty/message/CloseRequest';
import { NewBufferSize } from '../../src/netty/message/NewBufferSize';
import { PartitionRequest } from '../../src/netty/message/PartitionRequest';
import { ResumeConsumption } from '../../src/netty/message/ResumeConsumption';
import { TaskEventRequest } from '../../src/netty/message/TaskEventRequest';
import { NettyPartitionRequestClient } from '../../src/netty/NettyPartitionRequestClient';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { newGate } from '../consumer/ConsumerTestUtils';
import { SingleClientConnectionManager } from './NettyTestUtils';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

const CONNECTION = new ConnectionID('127.0.0.1', 4711, 0);

class PingTaskEvent extends TaskEvent {
  override write(): void {}
  override read(): void {}
}

/** Fails the writes of messages of `type`. */
function failingWrites(type: new (...args: never[]) => object): ChannelOutboundHandlerAdapter {
  return new (class extends ChannelOutboundHandlerAdapter {
    override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
      if (msg instanceof type) promise.setFailure(new Error('write failed'));
      else ctx.write(msg, promise);
    }
  })();
}

interface Setup {
  gate: SingleInputGate;
  channel: EmbeddedChannel;
  handler: CreditBasedPartitionRequestClientHandler;
  client: NettyPartitionRequestClient;
  destroyed: NettyPartitionRequestClient[];
  inputChannels: RemoteInputChannel[];
}

const open: Setup[] = [];

function closeAll(): void {
  for (const { gate, channel } of open.splice(0)) {
    gate.close();
    channel.finishAndReleaseAll();
  }
}

async function setUp(numChannels = 1, options: RemoteInputChannelOptions = {}, ...extra: ChannelOutboundHandlerAdapter[]): Promise<Setup> {
  const global = newGlobalPool(16, 32);
  const gate = newGate({ numberOfInputChannels: numChannels, memorySegmentProvider: global }, () => global.createBufferPool(4, 4));
  const handler = new CreditBasedPartitionRequestClientHandler();
  const channel = new EmbeddedChannel(...extra, handler);
  const destroyed: NettyPartitionRequestClient[] = [];
  const client = new NettyPartitionRequestClient(channel, handler, CONNECTION, { destroyPartitionRequestClient: (_id, c) => destroyed.push(c) });
  const manager = new SingleClientConnectionManager(client);
  const inputChannels: RemoteInputChannel[] = [];
  for (let i = 0; i < numChannels; i++) inputChannels.push(new RemoteInputChannel(gate, i, ResultPartitionID.random(), i, CONNECTION, manager, options));
  gate.setInputChannels(...inputChannels);
  await gate.setup();
  const setup = { gate, channel, handler, client, destroyed, inputChannels };
  open.push(setup);
  return setup;
}

function readAll(channel: EmbeddedChannel): unknown[] {
  const out: unknown[] = [];
  for (let msg = channel.readOutbound(); msg !== null; msg = channel.readOutbound()) out.push(msg);
  return out;
}

describe('NettyPartitionRequestClient', () => {
  afterEach(closeAll);

  it('registers the channel and writes PartitionRequest(partition, index, index, receiver, initial credit)', async () => {
    const { channel, handler, inputChannels } = await setUp(1, { networkBuffersPerChannel: 3 });
    const input = inputChannels[0]!;
    await input.requestSubpartition();

    expect(handler.getInputChannel(input.getInputChannelId())).toBe(input);
    const [request, ...rest] = readAll(channel);
    expect(rest).toEqual([]);
    expect(request).toBeInstanceOf(PartitionRequest);
    const pr = request as PartitionRequest;
    expect(pr.partitionId.equals(input.getPartitionId())).toBe(true);
    expect([pr.startIndex, pr.endIndex, pr.credit]).toEqual([0, 0, 3]);
    expect(pr.receiverId.equals(input.getInputChannelId())).toBe(true);
  });

  it('§10 scenario 35: request, then retrigger twice → three PartitionRequests, each with credit = exclusive buffers', async () => {
    const { channel, inputChannels } = await setUp(1, { networkBuffersPerChannel: 3, initialBackoffMs: 1, maxBackoffMs: 2, partitionRequestListenerTimeoutMs: 1 });
    const input = inputChannels[0]!;
    await input.requestSubpartition();
    input.retriggerSubpartitionRequest();
    channel.advanceTimeBy(100);
    channel.runPendingTasks();
    input.retriggerSubpartitionRequest();
    channel.advanceTimeBy(100);
    channel.runPendingTasks();

    const requests = readAll(channel);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request).toBeInstanceOf(PartitionRequest);
      expect((request as PartitionRequest).credit).toBe(3);
    }
  });

  it('sends a delayed request from the event loop after the delay', async () => {
    const { channel, client, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    const sent = client.requestSubpartition(input.getPartitionId(), 0, input, 50);
    channel.runPendingTasks();
    expect(channel.readOutbound()).toBeNull();
    channel.advanceTimeBy(50);
    channel.runPendingTasks();
    await sent;
    expect(channel.readOutbound()).toBeInstanceOf(PartitionRequest);
  });

  it('§10 scenario 37: resumeConsumption after the request → PartitionRequest, then ResumeConsumption(receiverId)', async () => {
    const { channel, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    await input.requestSubpartition();
    input.resumeConsumption();
    channel.runPendingTasks();

    const out = readAll(channel);
    expect(out.map((m) => (m as object).constructor.name)).toEqual(['PartitionRequest', 'ResumeConsumption']);
    expect((out[1] as ResumeConsumption).receiverId.equals(input.getInputChannelId())).toBe(true);
  });

  it('queues NewBufferSize and AckAllUserRecordsProcessed through the handler, in order', async () => {
    const { channel, client, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    await input.requestSubpartition();
    readAll(channel);
    client.notifyNewBufferSize(input, 1024);
    client.acknowledgeAllRecordsProcessed(input);
    channel.runPendingTasks();

    const out = readAll(channel);
    expect(out[0]).toBeInstanceOf(NewBufferSize);
    expect((out[0] as NewBufferSize).bufferSize).toBe(1024);
    expect(out[1]).toBeInstanceOf(AckAllUserRecordsProcessed);
    expect(out).toHaveLength(2);
  });

  it('writes a TaskEventRequest for sendTaskEvent', async () => {
    const { channel, client, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    const event = new PingTaskEvent();
    await client.sendTaskEvent(input.getPartitionId(), event, input);
    const request = channel.readOutbound<TaskEventRequest>();
    expect(request).toBeInstanceOf(TaskEventRequest);
    expect(request!.event).toBe(event);
    expect(request!.receiverId.equals(input.getInputChannelId())).toBe(true);
  });

  it('a failed PartitionRequest write unregisters the channel, fails it with a LocalTransportException and fails the connection', async () => {
    const { channel, handler, client, inputChannels } = await setUp(1, {}, failingWrites(PartitionRequest));
    const input = inputChannels[0]!;
    const onError = jest.spyOn(input, 'onError');
    expect(client.validateClientAndIncrementReferenceCounter()).toBe(true);

    await expect(client.requestSubpartition(input.getPartitionId(), 0, input, 0)).rejects.toThrow(LocalTransportException);
    channel.runPendingTasks();

    expect(handler.getInputChannel(input.getInputChannelId())).toBeUndefined();
    const error = onError.mock.calls[0]![0] as LocalTransportException;
    expect(error).toBeInstanceOf(LocalTransportException);
    expect(error.message).toBe("Sending the partition request to '127.0.0.1:4711 (#0)' failed.");
    expect((error.cause as Error).message).toBe('write failed');
    expect(handler.hasChannelError()).toBe(true);
    expect(channel.isOpen()).toBe(false);
    // A failed connection is never handed out again.
    expect(client.validateClientAndIncrementReferenceCounter()).toBe(false);
  });

  it('counts holders: an earlier close sends CancelPartitionRequest, the last one CloseRequest, disposes and closes the connection', async () => {
    const { channel, handler, client, destroyed, inputChannels } = await setUp(2);
    const [a, b] = inputChannels as [RemoteInputChannel, RemoteInputChannel];
    await a.requestSubpartition();
    await b.requestSubpartition();
    expect(client.getReferenceCount()).toBe(2);
    readAll(channel);

    client.close(a);
    expect(handler.getInputChannel(a.getInputChannelId())).toBeUndefined();
    const cancel = channel.readOutbound<CancelPartitionRequest>();
    expect(cancel).toBeInstanceOf(CancelPartitionRequest);
    expect(cancel!.receiverId.equals(a.getInputChannelId())).toBe(true);
    expect(client.isDisposed()).toBe(false);
    expect(channel.isOpen()).toBe(true);

    client.close(b);
    expect(channel.readOutbound()).toBeInstanceOf(CloseRequest);
    expect(client.isDisposed()).toBe(true);
    expect(destroyed).toEqual([client]);
    expect(channel.isOpen()).toBe(false);
    expect(client.validateClientAndIncrementReferenceCounter()).toBe(false);
    await expect(client.requestSubpartition(a.getPartitionId(), 0, a, 0)).rejects.toThrow("Channel to '127.0.0.1:4711' closed.");
  });
});
