import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  ChannelOutboundHandlerAdapter,
  ConnectionResetException,
  EmbeddedChannel,
  IllegalStateException,
  Unpooled,
  WriteBufferWaterMark,
  type ChannelHandlerContext,
  type ChannelPromise,
} from '@sluice/channel';
import { RemoteInputChannel, type RemoteInputChannelOptions } from '../../src/consumer/RemoteInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import type { Buffer } from '../../src/memory/Buffer';
import { DataType } from '../../src/memory/DataType';
import { ConnectionID } from '../../src/network/ConnectionID';
import { CreditBasedPartitionRequestClientHandler } from '../../src/netty/CreditBasedPartitionRequestClientHandler';
import { LocalTransportException, RemoteTransportException, TransportException } from '../../src/netty/errors';
import { AddCredit } from '../../src/netty/message/AddCredit';
import { BacklogAnnouncement } from '../../src/netty/message/BacklogAnnouncement';
import { BufferResponse } from '../../src/netty/message/BufferResponse';
import { CancelPartitionRequest } from '../../src/netty/message/CancelPartitionRequest';
import { ErrorResponse } from '../../src/netty/message/ErrorResponse';
import { PartitionRequest } from '../../src/netty/message/PartitionRequest';
import { NettyPartitionRequestClient } from '../../src/netty/NettyPartitionRequestClient';
import { RemoteThrowable } from '../../src/netty/RemoteThrowable';
import { PartitionNotFoundException } from '../../src/partition/errors';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { newGate } from '../consumer/ConsumerTestUtils';
import { SingleClientConnectionManager } from './NettyTestUtils';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';

installPoolChecks();

const CONNECTION = new ConnectionID('127.0.0.1', 4711, 0);

interface Setup {
  gate: SingleInputGate;
  handler: CreditBasedPartitionRequestClientHandler;
  channel: EmbeddedChannel;
  client: NettyPartitionRequestClient;
  inputChannels: RemoteInputChannel[];
}

const open: Setup[] = [];

/** Closes what setUp opened (inside the describe: runs before the leak and pool checks). */
function closeAll(): void {
  for (const { gate, channel } of open.splice(0)) {
    gate.close();
    channel.finishAndReleaseAll();
  }
}

/**
 * Flink's handler test setup: remote channels (2 exclusive 32-byte buffers each) on a gate with a floating
 * pool of `floating`, a client handler in an EmbeddedChannel, and a NettyPartitionRequestClient over it.
 */
async function setUp(numChannels = 1, floating = 8, options: RemoteInputChannelOptions = {}, ...extraHandlers: ChannelOutboundHandlerAdapter[]): Promise<Setup> {
  const global = newGlobalPool(32, 32);
  const gate = newGate({ numberOfInputChannels: numChannels, memorySegmentProvider: global }, () => global.createBufferPool(floating, floating));
  const handler = new CreditBasedPartitionRequestClientHandler();
  const channel = new EmbeddedChannel(...extraHandlers, handler);
  const client = new NettyPartitionRequestClient(channel, handler, CONNECTION, { destroyPartitionRequestClient: () => {} });
  const manager = new SingleClientConnectionManager(client);
  const inputChannels: RemoteInputChannel[] = [];
  for (let i = 0; i < numChannels; i++) inputChannels.push(new RemoteInputChannel(gate, i, ResultPartitionID.random(), i, CONNECTION, manager, options));
  gate.setInputChannels(...inputChannels);
  await gate.setup();
  const setup = { gate, handler, channel, client, inputChannels };
  open.push(setup);
  return setup;
}

/** {@link setUp}, then every channel requested (registered with the handler; PartitionRequests read). */
async function requested(numChannels = 1, floating = 8, options: RemoteInputChannelOptions = {}, ...extraHandlers: ChannelOutboundHandlerAdapter[]): Promise<Setup> {
  const setup = await setUp(numChannels, floating, options, ...extraHandlers);
  setup.gate.requestPartitions();
  await flushMicrotasks();
  const requests = readAll(setup.channel);
  expect(requests.filter((r) => r instanceof PartitionRequest)).toHaveLength(numChannels);
  return setup;
}

/** A BufferResponse as the client decoder makes it: the payload read into one of the channel's buffers. */
function bufferResponse(inputChannel: RemoteInputChannel, sequenceNumber: number, backlog: number, size = 32): BufferResponse {
  const buffer = inputChannel.requestBuffer();
  if (buffer !== null) buffer.asByteBuf().writeZero(size);
  return new BufferResponse(buffer, DataType.DATA_BUFFER, false, sequenceNumber, inputChannel.getInputChannelId(), 0, backlog, size);
}

function readAll(channel: EmbeddedChannel): unknown[] {
  const out: unknown[] = [];
  for (let msg = channel.readOutbound(); msg !== null; msg = channel.readOutbound()) out.push(msg);
  return out;
}

function describeMessage(msg: unknown): string {
  if (msg instanceof AddCredit) return `AddCredit(${msg.credit}, ${msg.receiverId.toString()})`;
  if (msg instanceof PartitionRequest) return `PartitionRequest(credit ${msg.credit}, ${msg.receiverId.toString()})`;
  if (msg instanceof CancelPartitionRequest) return `Cancel(${msg.receiverId.toString()})`;
  return String(msg);
}

describe('CreditBasedPartitionRequestClientHandler', () => {
  afterEach(closeAll);

  describe('decoding', () => {
    it('§10 scenario 16: a zero-size data BufferResponse calls onEmptyBuffer(seq, backlog) once (FLINK-1761)', async () => {
      const { handler, channel, inputChannels } = await requested();
      const input = inputChannels[0]!;
      const onEmptyBuffer = jest.spyOn(input, 'onEmptyBuffer');
      const onError = jest.spyOn(input, 'onError');

      channel.writeInbound(new BufferResponse(null, DataType.DATA_BUFFER, false, 0, input.getInputChannelId(), 0, 2, 0));

      expect(onEmptyBuffer).toHaveBeenCalledTimes(1);
      expect(onEmptyBuffer).toHaveBeenCalledWith(0, 2);
      expect(onError).not.toHaveBeenCalled();
    });

    it('§10 scenario 17: a 32-byte BufferResponse with backlog 2 queues one buffer and records the backlog', async () => {
      const { handler, channel, gate, inputChannels } = await requested();
      const input = inputChannels[0]!;

      channel.writeInbound(bufferResponse(input, 0, 2));

      expect(input.unsynchronizedGetNumberOfQueuedBuffers()).toBe(1);
      expect(input.getNumberOfRequiredBuffers()).toBe(2 + 2);
      const polled = gate.pollNext();
      expect(polled?.isBuffer()).toBe(true);
      polled?.getBuffer().recycleBuffer();
    });

    it('§10 scenario 19: a BufferResponse without a buffer for a live channel fails that channel with IllegalStateException', async () => {
      const { handler, channel, inputChannels } = await requested(1, 8, { networkBuffersPerChannel: 0 });
      const input = inputChannels[0]!;
      const onError = jest.spyOn(input, 'onError');

      const response = bufferResponse(input, 0, 0);
      expect(response.buffer).toBeNull();
      channel.writeInbound(response);

      expect(onError).toHaveBeenCalledTimes(1);
      const cause = onError.mock.calls[0]![0] as Error;
      expect(cause).toBeInstanceOf(IllegalStateException);
      expect(cause.message).toBe('The read buffer is null in credit-based input channel.');
      expect(channel.isOpen()).toBe(true);
    });

    it('§10 scenario 20: an ErrorResponse with PartitionNotFoundException calls onFailedPartitionRequest once', async () => {
      const { handler, channel, inputChannels } = await requested();
      const input = inputChannels[0]!;
      const onFailed = jest.spyOn(input, 'onFailedPartitionRequest').mockImplementation(() => {});
      const onError = jest.spyOn(input, 'onError');

      channel.writeInbound(new ErrorResponse(new PartitionNotFoundException(input.getPartitionId()), input.getInputChannelId()));
      // The same from a remote process: only the class name arrives.
      channel.writeInbound(new ErrorResponse(new RemoteThrowable('org.apache.flink.runtime.io.network.partition.PartitionNotFoundException', 'gone'), input.getInputChannelId()));

      expect(onFailed).toHaveBeenCalledTimes(2);
      expect(onError).not.toHaveBeenCalled();
    });

    it('fails only the addressed channel with a RemoteTransportException for any other ErrorResponse', async () => {
      const { handler, channel, inputChannels } = await requested(2);
      const [a, b] = inputChannels as [RemoteInputChannel, RemoteInputChannel];
      const onErrorA = jest.spyOn(a, 'onError');
      const onErrorB = jest.spyOn(b, 'onError');

      const cause = new Error('producer failed');
      channel.writeInbound(new ErrorResponse(cause, a.getInputChannelId()));

      expect(onErrorA).toHaveBeenCalledTimes(1);
      const error = onErrorA.mock.calls[0]![0] as RemoteTransportException;
      expect(error).toBeInstanceOf(RemoteTransportException);
      expect(error.message).toBe("Error at remote task manager 'embedded'.");
      expect(error.cause).toBe(cause);
      expect(onErrorB).not.toHaveBeenCalled();
      expect(channel.isOpen()).toBe(true);
    });

    it('fails every channel and closes the connection on a fatal ErrorResponse', async () => {
      const { handler, channel, inputChannels } = await requested(2);
      const spies = inputChannels.map((input) => jest.spyOn(input, 'onError'));

      channel.writeInbound(new ErrorResponse(new Error('out of memory')));

      for (const spy of spies) {
        expect(spy).toHaveBeenCalledTimes(1);
        const error = spy.mock.calls[0]![0] as RemoteTransportException;
        expect(error).toBeInstanceOf(RemoteTransportException);
        expect(error.message).toBe("Fatal error at remote task manager 'embedded'.");
      }
      expect(channel.isOpen()).toBe(false);
      expect(handler.hasChannelError()).toBe(true);
      expect(() => handler.addInputChannel(inputChannels[0]!)).toThrow(RemoteTransportException);
    });

    it('passes a BacklogAnnouncement to its channel and cancels one for an unknown channel', async () => {
      const { handler, channel, inputChannels } = await requested(2, 8, { networkBuffersPerChannel: 0 });
      const [a, b] = inputChannels as [RemoteInputChannel, RemoteInputChannel];
      handler.removeInputChannel(b);
      const onSenderBacklog = jest.spyOn(a, 'onSenderBacklog');

      channel.writeInbound(new BacklogAnnouncement(3, a.getInputChannelId()));
      channel.writeInbound(new BacklogAnnouncement(3, b.getInputChannelId()));

      expect(onSenderBacklog).toHaveBeenCalledWith(3);
      const out = readAll(channel);
      // Channel a got floating credit for its backlog; b is unknown and is cancelled.
      expect(out.map(describeMessage)).toEqual([`AddCredit(3, ${a.getInputChannelId().toString()})`, `Cancel(${b.getInputChannelId().toString()})`]);
    });

    it('fails every channel and closes on an unknown inbound message', async () => {
      const { handler, channel, inputChannels } = await requested();
      const onError = jest.spyOn(inputChannels[0]!, 'onError');

      channel.writeInbound('garbage');

      expect(onError).toHaveBeenCalledTimes(1);
      expect((onError.mock.calls[0]![0] as Error).message).toBe('Received unknown message from producer: garbage');
      expect(channel.isOpen()).toBe(false);
    });
  });

  describe('credit announcement', () => {
    it('§10 scenario 22: two channels request with credit 2; after a buffer with backlog 1 each, pending tasks emit two AddCredit(2) in order', async () => {
      const { gate, handler, channel, inputChannels } = await setUp(2);
      gate.requestPartitions();
      await flushMicrotasks();

      const requests = readAll(channel);
      expect(requests).toHaveLength(2);
      for (const [i, request] of requests.entries()) {
        expect(request).toBeInstanceOf(PartitionRequest);
        expect((request as PartitionRequest).credit).toBe(2);
        expect((request as PartitionRequest).receiverId.equals(inputChannels[i]!.getInputChannelId())).toBe(true);
      }

      // Read without running the loop's tasks, as Flink's handler.channelRead does.
      for (const input of inputChannels) channel.pipeline().fireChannelRead(bufferResponse(input, 0, 1));
      for (const input of inputChannels) expect(input.getUnannouncedCredit()).toBe(2);
      expect(channel.readOutbound()).toBeNull();

      channel.runPendingTasks();

      expect(readAll(channel).map(describeMessage)).toEqual(inputChannels.map((input) => `AddCredit(2, ${input.getInputChannelId().toString()})`));
      for (const input of inputChannels) expect(input.getUnannouncedCredit()).toBe(0);
      expect(handler.hasChannelError()).toBe(false);
      drainGate(gate);
    });

    it('§10 scenario 23: no AddCredit while unwritable; the writability change announces the accumulated credit', async () => {
      const { gate, channel, inputChannels } = await requested(2);
      gate.requestPartitions();
      await flushMicrotasks();
      readAll(channel);
      for (const input of inputChannels) channel.pipeline().fireChannelRead(bufferResponse(input, 0, 1));
      channel.runPendingTasks();
      expect(readAll(channel).filter((m) => m instanceof AddCredit)).toHaveLength(2);

      // Make the channel unwritable with an unflushed write above the high watermark.
      channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
      channel.write(Unpooled.buffer(64).writeZero(64));
      channel.runPendingTasks();
      expect(channel.isWritable()).toBe(false);

      const first = inputChannels[0]!;
      channel.pipeline().fireChannelRead(bufferResponse(first, 1, 1));
      expect(first.getUnannouncedCredit()).toBe(1);
      channel.runPendingTasks();
      const whileUnwritable = readAll(channel);
      expect(whileUnwritable).toHaveLength(0);
      expect(first.getUnannouncedCredit()).toBe(1);

      channel.flushOutbound();
      channel.runPendingTasks();
      expect(channel.isWritable()).toBe(true);
      const out = readAll(channel);
      expect(out).toHaveLength(2);
      (out[0] as { release(): boolean }).release();
      expect(describeMessage(out[1])).toBe(`AddCredit(1, ${first.getInputChannelId().toString()})`);
      expect(first.getUnannouncedCredit()).toBe(0);
      drainGate(gate);
    });

    it('coalesces credit that accrues while an AddCredit waits, and sends nothing for a released channel', async () => {
      const { gate, channel, client, inputChannels } = await requested(2);
      gate.requestPartitions();
      await flushMicrotasks();
      readAll(channel);
      const [a, b] = inputChannels as [RemoteInputChannel, RemoteInputChannel];

      channel.pipeline().fireChannelRead(bufferResponse(a, 0, 1));
      client.notifyCreditAvailable(a); // a second notification: the first AddCredit already carries everything
      channel.pipeline().fireChannelRead(bufferResponse(b, 0, 1));
      b.releaseAllResources();
      channel.runPendingTasks();

      // b's release leaves the shared connection at once (Cancel); its queued AddCredit is skipped.
      const out = readAll(channel).map(describeMessage);
      expect(out).toEqual([`Cancel(${b.getInputChannelId().toString()})`, `AddCredit(2, ${a.getInputChannelId().toString()})`]);
      drainGate(gate);
    });
  });

  describe('release and removal (§10 scenario 25)', () => {
    for (const removed of [false, true]) {
      for (const readBefore of [false, true]) {
        const what = removed ? 'removing' : 'releasing';
        it(`drops a BufferResponse read ${readBefore ? 'before' : 'after'} ${what} the channel, without a leak, and cancels the request once`, async () => {
          // Two channels share the connection, so releasing one does not close it.
          const { handler, channel, inputChannels, gate } = await requested(2);
          const input = inputChannels[0]!;
          const releaseOrRemove = (): void => {
            if (removed) handler.removeInputChannel(input);
            else input.releaseAllResources();
          };

          if (!readBefore) releaseOrRemove();
          // After a release the decoder finds no buffer (the channel gives none): the response has none.
          const response = bufferResponse(input, 0, 1);
          expect(response.buffer === null).toBe(!readBefore && !removed);
          if (readBefore) releaseOrRemove();
          const buffer: Buffer | null = response.buffer;
          channel.pipeline().fireChannelRead(response);

          expect(input.unsynchronizedGetNumberOfQueuedBuffers()).toBe(0);
          if (buffer !== null) expect(buffer.isRecycled()).toBe(true);
          channel.runPendingTasks();
          const cancels = (): string[] => readAll(channel).filter((m) => m instanceof CancelPartitionRequest).map(describeMessage);
          expect(cancels()).toEqual([`Cancel(${input.getInputChannelId().toString()})`]);

          // A second response for the same receiver does not send a second cancel.
          channel.pipeline().fireChannelRead(new BufferResponse(null, DataType.DATA_BUFFER, false, 1, input.getInputChannelId(), 0, 1, 32));
          channel.runPendingTasks();
          expect(cancels()).toEqual([]);
          drainGate(gate);
        });
      }
    }
  });

  describe('connection failures (§10 scenario 26)', () => {
    it('an exception in the pipeline fails every channel with a LocalTransportException and closes the connection', async () => {
      const { handler, channel, inputChannels } = await requested(2);
      const spies = inputChannels.map((input) => jest.spyOn(input, 'onError'));

      channel.pipeline().fireExceptionCaught(new Error('decoder exploded'));

      for (const spy of spies) {
        expect(spy).toHaveBeenCalledTimes(1);
        const error = spy.mock.calls[0]![0] as LocalTransportException;
        expect(error).toBeInstanceOf(LocalTransportException);
        expect(error.message).toBe("decoder exploded (connection to 'embedded')");
      }
      expect(channel.isOpen()).toBe(false);
    });

    it('channelInactive with registered channels fails them with a RemoteTransportException', async () => {
      const { handler, channel, inputChannels } = await requested(2);
      const spies = inputChannels.map((input) => jest.spyOn(input, 'onError'));

      channel.close();

      for (const spy of spies) {
        expect(spy).toHaveBeenCalledTimes(1);
        const error = spy.mock.calls[0]![0] as RemoteTransportException;
        expect(error).toBeInstanceOf(RemoteTransportException);
        expect(error.message).toBe(
          "Connection unexpectedly closed by remote task manager 'embedded'. This might indicate that the remote task manager was lost.",
        );
      }
    });

    it('channelInactive without channels is not an error', async () => {
      const { handler, channel } = await setUp();
      channel.close();
      expect(handler.hasChannelError()).toBe(false);
    });

    it('maps a connection reset to "Lost connection", passes TransportExceptions through, and only the first error counts', async () => {
      const reset = await requested();
      const onReset = jest.spyOn(reset.inputChannels[0]!, 'onError');
      reset.channel.pipeline().fireExceptionCaught(new ConnectionResetException('Connection reset by peer (ECONNRESET) on [id]', { channel: '[id]', localAddress: null, remoteAddress: null }));
      reset.channel.pipeline().fireExceptionCaught(new Error('second'));
      expect(onReset).toHaveBeenCalledTimes(1);
      const lost = onReset.mock.calls[0]![0] as RemoteTransportException;
      expect(lost).toBeInstanceOf(RemoteTransportException);
      expect(lost.message).toBe("Lost connection to task manager 'embedded'. This indicates that the remote task manager was lost.");

      const through = await requested();
      const onThrough = jest.spyOn(through.inputChannels[0]!, 'onError');
      const transport = new TransportException('already mapped', 'x:1');
      through.channel.pipeline().fireExceptionCaught(transport);
      expect(onThrough.mock.calls[0]![0]).toBe(transport);
    });

    it('a failed outbound write fails every channel; a cancelled one with "Sending cancelled by user."', async () => {
      for (const mode of ['fail', 'cancel'] as const) {
        const failing = new (class extends ChannelOutboundHandlerAdapter {
          override write(ctx: ChannelHandlerContext, msg: unknown, promise: ChannelPromise): void {
            if (!(msg instanceof AddCredit)) {
              ctx.write(msg, promise);
              return;
            }
            if (mode === 'fail') promise.setFailure(new Error('socket gone'));
            else promise.cancel();
          }
        })();
        const { gate, channel, inputChannels } = await requested(1, 8, {}, failing);
        gate.requestPartitions();
        await flushMicrotasks();
        readAll(channel);
        const input = inputChannels[0]!;
        const onError = jest.spyOn(input, 'onError');

        channel.pipeline().fireChannelRead(bufferResponse(input, 0, 1));
        channel.runPendingTasks();

        expect(onError).toHaveBeenCalledTimes(1);
        expect((onError.mock.calls[0]![0] as Error).message).toBe(mode === 'fail' ? 'socket gone' : 'Sending cancelled by user.');
        expect(channel.isOpen()).toBe(false);
        drainGate(gate);
      }
    });
  });

  it('ignores cancelRequestFor(null)', async () => {
    const { handler, channel } = await requested();
    handler.cancelRequestFor(null);
    channel.runPendingTasks();
    expect(channel.readOutbound()).toBeNull();
  });
});

/** Lets the channels' request promises (connect, then PartitionRequest) run. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Polls and recycles everything queued at the gate. */
function drainGate(gate: SingleInputGate): void {
  for (;;) {
    let next;
    try {
      next = gate.pollNext();
    } catch {
      return;
    }
    if (next === null) return;
    next.getBuffer().recycleBuffer();
  }
}
