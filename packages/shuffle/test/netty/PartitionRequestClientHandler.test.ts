import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { EmbeddedChannel, Unpooled, type ByteBuf } from '@sluice/channel';
import { RemoteInputChannel } from '../../src/consumer/RemoteInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import { EndOfPartitionEvent } from '../../src/event/EndOfPartitionEvent';
import { EventSerializer } from '../../src/event/EventSerializer';
import type { Buffer } from '../../src/memory/Buffer';
import type { BufferPool } from '../../src/memory/BufferPool';
import { DataType } from '../../src/memory/DataType';
import { ConnectionID } from '../../src/network/ConnectionID';
import { RemoteTransportException } from '../../src/netty/errors';
import { BufferResponse } from '../../src/netty/message/BufferResponse';
import { CancelPartitionRequest } from '../../src/netty/message/CancelPartitionRequest';
import { ErrorResponse } from '../../src/netty/message/ErrorResponse';
import { PartitionRequestClientHandler } from '../../src/netty/PartitionRequestClientHandler';
import { PartitionNotFoundException } from '../../src/partition/errors';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { FakeConnectionManager, newGate } from '../consumer/ConsumerTestUtils';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

const CONNECTION = new ConnectionID('127.0.0.1', 4711, 0);

interface Setup {
  gate: SingleInputGate;
  pool: BufferPool;
  handler: PartitionRequestClientHandler;
  channel: EmbeddedChannel;
  inputChannels: RemoteInputChannel[];
}

const open: Setup[] = [];

/** Push-mode channels (no exclusive buffers) on a gate whose pool has `poolSize` 32-byte buffers, registered with the handler. */
async function setUp(numChannels = 1, poolSize = 1): Promise<Setup> {
  const global = newGlobalPool(8, 32);
  const gate = newGate({ numberOfInputChannels: numChannels, memorySegmentProvider: global }, () => global.createBufferPool(poolSize, poolSize));
  const manager = new FakeConnectionManager();
  const inputChannels: RemoteInputChannel[] = [];
  for (let i = 0; i < numChannels; i++) inputChannels.push(new RemoteInputChannel(gate, i, ResultPartitionID.random(), i, CONNECTION, manager, { creditBased: false }));
  gate.setInputChannels(...inputChannels);
  await gate.setup();
  const handler = new PartitionRequestClientHandler();
  const channel = new EmbeddedChannel(handler);
  for (const input of inputChannels) handler.addInputChannel(input);
  const setup = { gate, pool: gate.getBufferPool()!, handler, channel, inputChannels };
  open.push(setup);
  return setup;
}

/** A push-mode BufferResponse as the frame decoder makes it: no buffer, the payload as a ByteBuf. */
function response(input: RemoteInputChannel, sequenceNumber: number, bytes: number[], dataType: DataType = DataType.DATA_BUFFER): BufferResponse {
  const payload: ByteBuf = Unpooled.buffer(bytes.length);
  for (const b of bytes) payload.writeByte(b);
  return new BufferResponse(null, dataType, false, sequenceNumber, input.getInputChannelId(), 0, 0, bytes.length, [], payload);
}

function eventResponse(input: RemoteInputChannel, sequenceNumber: number): BufferResponse {
  const bytes = EventSerializer.toSerializedEvent(EndOfPartitionEvent.INSTANCE);
  return response(input, sequenceNumber, [...bytes], DataType.EVENT_BUFFER);
}

/** The bytes of every data buffer the gate has, in order (recycling them); events as 'event'. */
function drain(gate: SingleInputGate): (number[] | 'event')[] {
  const out: (number[] | 'event')[] = [];
  for (let next = gate.pollNext(); next !== null; next = gate.pollNext()) {
    if (next.isEvent()) {
      out.push('event');
      continue;
    }
    const buffer = next.getBuffer();
    const buf = buffer.asByteBuf();
    const bytes: number[] = [];
    for (let i = buf.readerIndex(); i < buf.writerIndex(); i++) bytes.push(buf.getByte(i));
    out.push(bytes);
    buffer.recycleBuffer();
  }
  return out;
}

describe('PartitionRequestClientHandler (push mode)', () => {
  afterEach(() => {
    for (const { gate, channel } of open.splice(0)) {
      gate.close();
      channel.finishAndReleaseAll();
    }
  });

  it('copies each payload into a buffer of the channel and releases the payload', async () => {
    const { gate, channel, inputChannels } = await setUp(1, 2);
    const input = inputChannels[0]!;
    const msg = response(input, 0, [1, 2, 3]);

    channel.writeInbound(msg);

    expect(msg.payload!.refCnt()).toBe(0);
    expect(drain(gate)).toEqual([[1, 2, 3]]);
    expect(channel.config().isAutoRead()).toBe(true);
  });

  it('passes zero-size data buffers on as onEmptyBuffer(seq, -1)', async () => {
    const { channel, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    const onEmptyBuffer = jest.spyOn(input, 'onEmptyBuffer');
    channel.writeInbound(response(input, 0, []));
    expect(onEmptyBuffer).toHaveBeenCalledWith(0, -1);
  });

  it('stalls the connection when the pool is empty: stages in order with autoRead off, resumes when buffers come back', async () => {
    const { gate, pool, handler, channel, inputChannels } = await setUp(1, 1);
    const input = inputChannels[0]!;
    const held = pool.requestBuffer() as Buffer;

    channel.writeInbound(response(input, 0, [10]));
    expect(handler.numberOfStagedMessages()).toBe(1);
    expect(channel.config().isAutoRead()).toBe(false);
    // Already read from the socket: staged behind, even the event (order is kept).
    channel.writeInbound(response(input, 1, [11]), eventResponse(input, 2));
    expect(handler.numberOfStagedMessages()).toBe(3);
    expect(drain(gate)).toEqual([]);

    held.recycleBuffer(); // the one pool buffer comes back → the first response gets it
    channel.runPendingTasks();
    expect(handler.numberOfStagedMessages()).toBe(2);
    expect(channel.config().isAutoRead()).toBe(false);

    expect(drain(gate)).toEqual([[10]]); // recycling it lets the next one through, then the event
    channel.runPendingTasks();
    expect(handler.numberOfStagedMessages()).toBe(0);
    expect(channel.config().isAutoRead()).toBe(true);
    expect(drain(gate)).toEqual([[11], 'event']);
  });

  it('never stalls on events: they get an unpooled buffer', async () => {
    const { gate, pool, handler, channel, inputChannels } = await setUp(1, 1);
    const held = pool.requestBuffer() as Buffer;
    channel.writeInbound(eventResponse(inputChannels[0]!, 0));
    expect(handler.numberOfStagedMessages()).toBe(0);
    expect(channel.config().isAutoRead()).toBe(true);
    expect(drain(gate)).toEqual(['event']);
    held.recycleBuffer();
  });

  it('drops staged responses of a channel removed while waiting, cancels once, and resumes reading', async () => {
    const { gate, pool, handler, channel, inputChannels } = await setUp(2, 1);
    const [a, b] = inputChannels as [RemoteInputChannel, RemoteInputChannel];
    const held = pool.requestBuffer() as Buffer;
    channel.writeInbound(response(a, 0, [1]), response(a, 1, [2]), eventResponse(b, 0));
    expect(handler.numberOfStagedMessages()).toBe(3);

    handler.removeInputChannel(a);
    channel.runPendingTasks();

    expect(handler.numberOfStagedMessages()).toBe(0);
    expect(channel.config().isAutoRead()).toBe(true);
    const cancel = channel.readOutbound<CancelPartitionRequest>();
    expect(cancel).toBeInstanceOf(CancelPartitionRequest);
    expect(cancel!.receiverId.equals(a.getInputChannelId())).toBe(true);
    expect(channel.readOutbound()).toBeNull();
    expect(drain(gate)).toEqual(['event']);
    held.recycleBuffer();
  });

  it('releases staged payloads when the connection fails', async () => {
    const { pool, handler, channel, inputChannels } = await setUp(1, 1);
    const input = inputChannels[0]!;
    const held = pool.requestBuffer() as Buffer;
    const onError = jest.spyOn(input, 'onError');
    const staged = [response(input, 0, [1]), response(input, 1, [2])];
    channel.writeInbound(...staged);

    channel.writeInbound(new ErrorResponse(new Error('boom'))); // fatal, but staged behind: fails once decoded…
    channel.close(); // …the connection goes away first

    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toBeInstanceOf(RemoteTransportException);
    expect(handler.numberOfStagedMessages()).toBe(0);
    for (const msg of staged) expect(msg.payload!.refCnt()).toBe(0);
    held.recycleBuffer();
  });

  it('routes a PartitionNotFound ErrorResponse to onFailedPartitionRequest', async () => {
    const { channel, inputChannels } = await setUp();
    const input = inputChannels[0]!;
    const onFailed = jest.spyOn(input, 'onFailedPartitionRequest').mockImplementation(() => {});
    channel.writeInbound(new ErrorResponse(new PartitionNotFoundException(input.getPartitionId()), input.getInputChannelId()));
    expect(onFailed).toHaveBeenCalledTimes(1);
  });
});
