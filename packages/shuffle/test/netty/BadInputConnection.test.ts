// Bad input on a real connection (the "bad input" requirements): the client and server pipelines
// as NettyProtocol builds them, over TCP on 127.0.0.1, facing a plain node:net peer that writes
// hand-made bytes — wrong magic, unknown id, negative length, a length above the default limit, AddCredit
// ≤ 0 or for an unknown reader, and lengths above a small maxFrameLength. Each test checks that the
// connection closes, that every channel or reader on it fails or is released with a typed error naming
// the remote address, and (through installPoolChecks and the PARANOID leak detector of test/setup.ts)
// that nothing leaks.
import * as net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  EmbeddedChannel,
  InternalLoggerFactory,
  Unpooled,
  type ByteBuf,
  type Channel,
  type ChannelHandler,
  type InternalLogger,
  type LoggerFactory,
} from '@sluice/channel';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { RemoteInputChannel } from '../../src/consumer/RemoteInputChannel';
import type { SingleInputGate } from '../../src/consumer/SingleInputGate';
import type { NetworkBufferPool } from '../../src/memory/NetworkBufferPool';
import { ConnectionID } from '../../src/network/ConnectionID';
import type { PartitionRequestClient } from '../../src/network/PartitionRequestClient';
import { LocalTransportException, ProtocolException, TransportException } from '../../src/netty/errors';
import { AddCredit } from '../../src/netty/message/AddCredit';
import { BufferResponse } from '../../src/netty/message/BufferResponse';
import { ErrorResponse } from '../../src/netty/message/ErrorResponse';
import { PartitionRequest } from '../../src/netty/message/PartitionRequest';
import { NettyConnectionManager } from '../../src/netty/NettyConnectionManager';
import { DEFAULT_MAX_FRAME_LENGTH, NettyConfig } from '../../src/netty/NettyConfig';
import { MessageId, NettyMessage } from '../../src/netty/NettyMessage';
import { NettyMessageDecoder } from '../../src/netty/NettyMessageDecoder';
import { NettyPartitionRequestClient } from '../../src/netty/NettyPartitionRequestClient';
import { NettyProtocol } from '../../src/netty/NettyProtocol';
import { NettyServer } from '../../src/netty/NettyServer';
import type { NetworkSequenceViewReader } from '../../src/netty/NetworkSequenceViewReader';
import { PartitionRequestQueue } from '../../src/netty/PartitionRequestQueue';
import { RemoteThrowable } from '../../src/netty/RemoteThrowable';
import { ResultPartitionID } from '../../src/partition/ResultPartitionID';
import { ResultPartitionManager } from '../../src/partition/ResultPartitionManager';
import { newGate } from '../consumer/ConsumerTestUtils';
import { installPoolChecks, newGlobalPool } from '../memory/PoolTestUtils';
import { encode } from './NettyTestUtils';
import { ServerTestPartition } from './PartitionRequestQueueTestUtils';

installPoolChecks();

/** 0xCAFEBABE as the signed int `writeInt` takes: any magic but Flink's 0xBADC0FFE. */
const WRONG_MAGIC = 0xcafebabe | 0;
/** No message has this id, in either direction. */
const UNKNOWN_ID = 42;
/** The small frame limit of the oversized-length tests, in bytes (NettyConfig's default is 64 MiB). */
const MAX_FRAME = 1024;
/** Java's Integer.MAX_VALUE: the largest length a frame header can announce. */
const INT_MAX = 0x7fffffff;

// ---------------------------------------------------------------- bytes

/** The readable bytes of `buf` as a Node Buffer; releases `buf`. */
function bytesOf(buf: ByteBuf): Buffer {
  try {
    return Buffer.from(buf.nioBuffer());
  } finally {
    buf.release();
  }
}

/**
 * A frame written by hand: the 4-byte frame length (as announced, right or wrong), the 4-byte magic, the
 * 1-byte id, then what `body` writes.
 */
function rawFrame(frameLength: number, magic: number, id: number, body: (buf: ByteBuf) => void = () => {}): Buffer {
  const buf = Unpooled.buffer(64);
  buf.writeInt(frameLength);
  buf.writeInt(magic);
  buf.writeByte(id);
  body(buf);
  return bytesOf(buf);
}

/** An AddCredit frame with any credit (AddCredit's constructor refuses ≤ 0): 9 + 4 + 16 bytes. */
function rawAddCredit(credit: number, receiverId: InputChannelID, magic = NettyMessage.MAGIC_NUMBER, id: number = MessageId.ADD_CREDIT): Buffer {
  return rawFrame(NettyMessage.FRAME_HEADER_LENGTH + AddCredit.BODY_LENGTH, magic, id, (buf) => {
    buf.writeInt(credit);
    receiverId.writeTo(buf);
  });
}

/** The encoded frame of a well-formed message, through the real NettyMessageEncoder. */
function frameOf(message: NettyMessage): Buffer {
  return bytesOf(encode(message));
}

/** The error of an ErrorResponse and its causes, as decoded (RemoteThrowables). */
function remoteChain(error: Error): RemoteThrowable[] {
  const chain: RemoteThrowable[] = [];
  for (let e: unknown = error; e instanceof RemoteThrowable; e = e.cause) chain.push(e);
  return chain;
}

// ---------------------------------------------------------------- cleanup

/** Undone after each test, last first, inside the describe: before the leak and pool checks run. */
const cleanups: (() => void | Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/**
 * Silences the logs of the describe's tests: the server logs every fatal connection error at ERROR with
 * its whole cause chain, which is the expected outcome here (the tests check the error on the wire).
 */
function quietLogs(): void {
  let previous: LoggerFactory | null = null;
  const silent = (name: string): InternalLogger => ({
    name,
    isEnabled: () => false,
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
  });
  beforeEach(() => {
    previous = InternalLoggerFactory.getDefaultFactory();
    InternalLoggerFactory.setDefaultFactory(silent);
  });
  afterEach(() => {
    if (previous !== null) InternalLoggerFactory.setDefaultFactory(previous);
  });
}

// ---------------------------------------------------------------- client side: a raw producer

/**
 * The production connection manager (NettyConfig → NettyProtocol → NettyClient and the client factory),
 * remembering the clients it hands out, to reach their TCP channel.
 */
class RecordingConnectionManager extends NettyConnectionManager {
  readonly clients: NettyPartitionRequestClient[] = [];

  override async createPartitionRequestClient(connectionId: ConnectionID): Promise<PartitionRequestClient> {
    const client = await super.createPartitionRequestClient(connectionId);
    if (client instanceof NettyPartitionRequestClient && !this.clients.includes(client)) this.clients.push(client);
    return client;
  }
}

/** A plain TCP server on 127.0.0.1, port 0, standing in for a producer; its sockets die in cleanup. */
async function listenRaw(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  const sockets: net.Socket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    // The client closing or resetting the connection is what the tests provoke, not an error here.
    socket.on('error', () => {});
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return { server, port: address.port };
}

/** Resolves with the next accepted socket of `server` once `count` PartitionRequest frames arrived on it. */
function partitionRequestsReceived(server: net.Server, count: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    server.once('connection', (socket: net.Socket) => {
      let pending = Buffer.alloc(0);
      let seen = 0;
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= NettyMessage.FRAME_HEADER_LENGTH) {
          const length = pending.readInt32BE(0);
          if (length < NettyMessage.FRAME_HEADER_LENGTH) {
            reject(new Error(`the Sluice client sent a frame of length ${length}`));
            return;
          }
          if (pending.length < length) break;
          if (pending[8] === MessageId.PARTITION_REQUEST && ++seen === count) resolve(socket);
          pending = pending.subarray(length);
        }
      });
    });
  });
}

interface ClientConnection {
  /** The raw producer's port: the failed channels must name `127.0.0.1:<port>`. */
  port: number;
  global: NetworkBufferPool;
  gate: SingleInputGate;
  channels: RemoteInputChannel[];
  /** Sluice's TCP channel to the raw producer. */
  connection: Channel;
  /** The raw producer's end of the connection. */
  peer: net.Socket;
}

/**
 * Two RemoteInputChannels (2 exclusive buffers each, 4 floating on the gate) of one gate read from a raw
 * producer over one connection made by a NettyConnectionManager with `config`; resolves once both
 * PartitionRequests arrived at the producer (both channels are registered with the client handler then).
 */
async function twoChannelsConnected(config: NettyConfig): Promise<ClientConnection> {
  const { server, port } = await listenRaw();
  const global = newGlobalPool(16, 64);
  const gate = newGate({ numberOfInputChannels: 2, memorySegmentProvider: global }, () => global.createBufferPool(4, 4));
  const manager = new RecordingConnectionManager(new ResultPartitionManager(), null, config);
  await manager.start();
  cleanups.push(() => manager.shutdown());
  cleanups.push(() => gate.close());
  const producer = new ConnectionID('127.0.0.1', port, 0);
  const channels = [0, 1].map((i) => new RemoteInputChannel(gate, i, ResultPartitionID.random(), 0, producer, manager, { networkBuffersPerChannel: 2 }));
  gate.setInputChannels(...channels);
  await gate.setup();
  const requested = partitionRequestsReceived(server, channels.length);
  gate.requestPartitions();
  const peer = await requested;
  expect(manager.clients).toHaveLength(1);
  return { port, global, gate, channels, connection: manager.clients[0]!.getChannel(), peer };
}

/** A well-formed BufferResponse frame of 32 bytes for `channel` (sequence number 0, backlog 0). */
function bufferResponseFrame(channel: RemoteInputChannel): Buffer {
  const senderPool = newGlobalPool(1, 64).createBufferPool(1, 1);
  try {
    const buffer = senderPool.requestBuffer();
    if (buffer === null) throw new Error('sender pool exhausted');
    buffer.asByteBuf().writeZero(32);
    return frameOf(BufferResponse.forBuffer(buffer, 0, channel.getInputChannelId(), 0, 0));
  } finally {
    senderPool.lazyDestroy();
  }
}

/** Writes `bytes` from the raw producer and waits until Sluice closed the connection. */
async function producerWrites(c: ClientConnection, bytes: Buffer): Promise<void> {
  const peerClosed = new Promise<void>((resolve) => c.peer.once('close', () => resolve()));
  c.peer.write(bytes);
  await c.connection.closeFuture().awaitDone();
  // The close reached the producer: the connection is really gone, not only marked closed.
  await peerClosed;
}

/**
 * Every channel failed with a LocalTransportException naming the producer (`address` and message) whose
 * cause is the decoder's ProtocolException saying `reason` (and naming the producer too), and the channel
 * throws it when polled.
 */
function expectEveryChannelFailed(c: ClientConnection, reason: string): void {
  const remote = `127.0.0.1:${c.port}`;
  for (const channel of c.channels) {
    const error = channel.getError();
    expect(error).toBeInstanceOf(LocalTransportException);
    const transport = error as TransportException;
    expect(transport.address).toBe(remote);
    expect(transport.message).toContain(`'${remote}'`);
    expect(transport.cause).toBeInstanceOf(ProtocolException);
    const protocol = transport.cause as ProtocolException;
    expect(protocol.code).toBe('SLUICE_PROTOCOL');
    expect(protocol.message).toContain(reason);
    expect(protocol.message).toContain(`(remote: ${remote})`);
    expect(() => channel.checkError()).toThrow(transport);
  }
}

/** Closes the gate (releasing every channel); then every segment is back in the consumer's global pool. */
function expectPoolsFullAfterClose(c: ClientConnection): void {
  c.gate.close();
  expect(c.global.getNumberOfAvailableMemorySegments()).toBe(c.global.getTotalNumberOfMemorySegments());
}

// ---------------------------------------------------------------- server side: a raw consumer

/** A plain TCP client that sends hand-made bytes and decodes what the server answers. */
class RawConsumer {
  /** Every message received so far (BufferResponse payloads are released on arrival). */
  readonly messages: NettyMessage[] = [];
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
  private readonly decoder = new EmbeddedChannel(new NettyMessageDecoder({ clientSide: true }));
  private readonly waiters: { condition: () => boolean; resolve: () => void }[] = [];
  private readonly localAddress: string;

  private constructor(readonly socket: net.Socket) {
    this.localAddress = `${socket.localAddress!}:${socket.localPort!}`;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A reset after the server closed is not what these tests look at; what arrived before it is.
    socket.on('error', () => {});
    cleanups.push(() => this.dispose());
  }

  static connect(port: number): Promise<RawConsumer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawConsumer(socket)));
      socket.once('error', reject);
    });
  }

  /** `127.0.0.1:<port>` of this end, as the server sees its remote (read while connected). */
  address(): string {
    return this.localAddress;
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** Resolves once `condition` holds (checked after every decoded chunk). */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ condition, resolve }));
  }

  bufferResponses(): BufferResponse[] {
    return this.messages.filter((m): m is BufferResponse => m instanceof BufferResponse);
  }

  private onData(chunk: Buffer): void {
    this.decoder.writeInbound(Unpooled.wrappedBuffer(chunk));
    for (let msg = this.decoder.readInbound<NettyMessage>(); msg !== null; msg = this.decoder.readInbound<NettyMessage>()) {
      if (msg instanceof BufferResponse) msg.releaseBuffer();
      this.messages.push(msg);
    }
    for (const waiter of [...this.waiters]) {
      if (!waiter.condition()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private dispose(): void {
    this.socket.destroy();
    this.decoder.finishAndReleaseAll();
  }
}

interface ServerConnection {
  consumer: RawConsumer;
  /** The connection's queue (the last handler of its pipeline). */
  queue: PartitionRequestQueue;
  receivers: InputChannelID[];
  readers: NetworkSequenceViewReader[];
}

/**
 * A NettyServer whose connections get `handlers(partitions)` serves a registered pipelined partition of
 * two subpartitions holding 3 buffers each; a raw consumer requests both with credit 1 and waits for one
 * BufferResponse per reader (both readers have their view and are serving).
 */
async function twoReadersServing(handlers: (partitions: ResultPartitionManager) => ChannelHandler[]): Promise<ServerConnection> {
  const p = new ServerTestPartition({ subpartitions: 2 });
  cleanups.push(() => p.dispose());
  p.addData(0, 3, 32);
  p.addData(1, 3, 32);
  const queues: PartitionRequestQueue[] = [];
  const server = new NettyServer(new NettyConfig({ serverAddress: '127.0.0.1', serverPort: 0 }));
  cleanups.push(() => server.shutdown());
  const port = await server.init(() => {
    const pipeline = handlers(p.manager);
    const queue = pipeline.find((h): h is PartitionRequestQueue => h instanceof PartitionRequestQueue);
    if (queue === undefined) throw new Error('no PartitionRequestQueue in the server pipeline');
    queues.push(queue);
    return pipeline;
  });

  const consumer = await RawConsumer.connect(port);
  const receivers = [InputChannelID.random(), InputChannelID.random()];
  consumer.send(...receivers.map((receiverId, i) => frameOf(new PartitionRequest(p.partition.getPartitionId(), i, i, receiverId, 1))));
  await consumer.until(() => consumer.bufferResponses().length === 2);

  expect(queues).toHaveLength(1);
  const queue = queues[0]!;
  const readers = receivers.map((receiverId) => queue.getReader(receiverId));
  expect(readers.map((r) => r !== undefined && !r.isReleased() && r.hasSubpartitionView())).toEqual([true, true]);
  return { consumer, queue, receivers, readers: readers as NetworkSequenceViewReader[] };
}

/** Sends `bytes` after the requests and waits until the server closed the connection. */
async function consumerWrites(s: ServerConnection, bytes: Buffer): Promise<void> {
  s.consumer.send(bytes);
  await s.consumer.closed;
}

/**
 * The server answered the two BufferResponses, then one fatal ErrorResponse, and closed; every reader is
 * released and forgotten. Returns the ErrorResponse's error chain.
 */
function expectConnectionFailed(s: ServerConnection): RemoteThrowable[] {
  expect(s.consumer.messages.map((m) => m.constructor.name)).toEqual(['BufferResponse', 'BufferResponse', 'ErrorResponse']);
  expect(
    s.consumer
      .bufferResponses()
      .map((r) => r.receiverId.toString())
      .sort(),
  ).toEqual(s.receivers.map((id) => id.toString()).sort());
  const error = s.consumer.messages[2] as ErrorResponse;
  expect(error.isFatalError()).toBe(true);
  for (const [i, reader] of s.readers.entries()) {
    expect(reader.isReleased()).toBe(true);
    expect(s.queue.hasReader(s.receivers[i]!)).toBe(false);
  }
  return remoteChain(error.cause);
}

/** The chain holds the decoder's ProtocolException saying `reason` and naming the consumer's address. */
function expectProtocolError(chain: RemoteThrowable[], reason: string, remote: string): void {
  const protocol = chain.find((e) => e.className === 'ProtocolException');
  expect(protocol).toBeDefined();
  expect(protocol!.remoteCode).toBe('SLUICE_PROTOCOL');
  expect(protocol!.message).toContain(reason);
  expect(protocol!.message).toContain(`(remote: ${remote})`);
}

// ---------------------------------------------------------------- the tests

describe('bad input on a real connection', () => {
  afterEach(cleanUp);

  describe("client (NettyProtocol's client pipeline) reading from a raw producer", () => {
    const clientConfig = new NettyConfig({ clientConnectTimeoutSeconds: 5 });

    it.each([
      {
        what: 'a wrong magic number',
        frame: (): Buffer => rawFrame(NettyMessage.FRAME_HEADER_LENGTH + 3, WRONG_MAGIC, MessageId.ERROR_RESPONSE, (b) => b.writeZero(3)),
        reason: 'received incorrect magic number 0xcafebabe (expected: 0xbadc0ffe)',
      },
      {
        what: 'an unknown message id',
        frame: (): Buffer => rawFrame(NettyMessage.FRAME_HEADER_LENGTH + 3, NettyMessage.MAGIC_NUMBER, UNKNOWN_ID, (b) => b.writeZero(3)),
        reason: `Received unknown message from producer: id ${UNKNOWN_ID}`,
      },
      {
        what: 'a negative frame length',
        frame: (): Buffer => rawFrame(-1, NettyMessage.MAGIC_NUMBER, MessageId.ERROR_RESPONSE),
        reason: `frame length -1 (expected: 9..${DEFAULT_MAX_FRAME_LENGTH})`,
      },
      {
        // Only the 9-byte header: no body follows, so the connection can only close on the header.
        what: 'a frame length above the default limit (a lone header announcing 2^31 − 1)',
        frame: (): Buffer => rawFrame(INT_MAX, NettyMessage.MAGIC_NUMBER, MessageId.BUFFER_RESPONSE),
        reason: `frame length ${INT_MAX} (expected: 9..${DEFAULT_MAX_FRAME_LENGTH})`,
      },
    ])('closes the connection and fails both channels with a LocalTransportException naming the producer on $what', async ({ frame, reason }) => {
      const c = await twoChannelsConnected(clientConfig);
      // A good BufferResponse first, in the same write: it is delivered, and its buffer must come back too.
      await producerWrites(c, Buffer.concat([bufferResponseFrame(c.channels[0]!), frame()]));

      expect(c.connection.isOpen()).toBe(false);
      expect(c.channels[0]!.unsynchronizedGetNumberOfQueuedBuffers()).toBe(1);
      expectEveryChannelFailed(c, reason);
      expectPoolsFullAfterClose(c);
    });
  });

  describe("server (NettyProtocol's server pipeline) reading from a raw consumer with two readers", () => {
    quietLogs();
    const serverPipeline = (partitions: ResultPartitionManager): ChannelHandler[] => new NettyProtocol(partitions, null).getServerChannelHandlers();

    it.each([
      {
        what: 'a wrong magic number',
        frame: (s: ServerConnection): Buffer => rawAddCredit(1, s.receivers[0]!, WRONG_MAGIC),
        reason: 'received incorrect magic number 0xcafebabe (expected: 0xbadc0ffe)',
      },
      {
        what: 'an unknown message id',
        frame: (s: ServerConnection): Buffer => rawAddCredit(1, s.receivers[0]!, NettyMessage.MAGIC_NUMBER, UNKNOWN_ID),
        reason: `Received unknown message from consumer: id ${UNKNOWN_ID}`,
      },
      {
        what: 'a negative frame length',
        frame: (): Buffer => rawFrame(-1, NettyMessage.MAGIC_NUMBER, MessageId.ADD_CREDIT),
        reason: `frame length -1 (expected: 9..${DEFAULT_MAX_FRAME_LENGTH})`,
      },
      {
        what: 'a frame length above the default limit (a lone header announcing 2^31 − 1)',
        frame: (): Buffer => rawFrame(INT_MAX, NettyMessage.MAGIC_NUMBER, MessageId.ADD_CREDIT),
        reason: `frame length ${INT_MAX} (expected: 9..${DEFAULT_MAX_FRAME_LENGTH})`,
      },
      {
        what: 'AddCredit with credit 0',
        frame: (s: ServerConnection): Buffer => rawAddCredit(0, s.receivers[0]!),
        reason: 'AddCredit: credit 0 (expected: >= 1)',
      },
      {
        what: 'AddCredit with credit -1',
        frame: (s: ServerConnection): Buffer => rawAddCredit(-1, s.receivers[0]!),
        reason: 'AddCredit: credit -1 (expected: >= 1)',
      },
    ])('answers a fatal ProtocolException naming the consumer, releases both readers and closes on $what', async ({ frame, reason }) => {
      const s = await twoReadersServing(serverPipeline);
      await consumerWrites(s, frame(s));

      const chain = expectConnectionFailed(s);
      expectProtocolError(chain, reason, s.consumer.address());
    });

    it('answers a fatal IllegalStateException for AddCredit to a receiver without a reader, releases both readers and closes', async () => {
      const s = await twoReadersServing(serverPipeline);
      const unknown = InputChannelID.random();
      await consumerWrites(s, rawAddCredit(1, unknown));

      const chain = expectConnectionFailed(s);
      expect(chain[0]!.className).toBe('IllegalStateException');
      expect(chain[0]!.message).toBe(`No reader for receiverId = ${unknown.toString()} exists.`);
    });
  });

  describe(`oversized frame lengths (maxFrameLength ${MAX_FRAME}): rejected from the header, before any body byte`, () => {
    quietLogs();

    // The segment size only sets the server's watermarks here; the limit must hold one full segment.
    const config = new NettyConfig({ clientConnectTimeoutSeconds: 5, segmentSize: 512, maxFrameLength: MAX_FRAME });
    const serverPipeline = (partitions: ResultPartitionManager): ChannelHandler[] =>
      new NettyProtocol(partitions, null, true, config.maxFrameLength).getServerChannelHandlers();

    it.each([MAX_FRAME + 1, INT_MAX])('client: a lone BufferResponse header announcing %d bytes fails both channels and closes', async (length) => {
      const c = await twoChannelsConnected(config);
      // Only the 9-byte header: no body follows, so the connection can only close on the header.
      await producerWrites(c, rawFrame(length, NettyMessage.MAGIC_NUMBER, MessageId.BUFFER_RESPONSE));

      expect(c.connection.isOpen()).toBe(false);
      expectEveryChannelFailed(c, `frame length ${length} (expected: 9..${MAX_FRAME})`);
      expectPoolsFullAfterClose(c);
    });

    it.each([MAX_FRAME + 1, INT_MAX])(
      'server: a lone AddCredit header announcing %d bytes is answered with a fatal ProtocolException, releases both readers and closes',
      async (length) => {
        const s = await twoReadersServing(serverPipeline);
        await consumerWrites(s, rawFrame(length, NettyMessage.MAGIC_NUMBER, MessageId.ADD_CREDIT));

        const chain = expectConnectionFailed(s);
        expectProtocolError(chain, `frame length ${length} (expected: 9..${MAX_FRAME})`, s.consumer.address());
      },
    );
  });
});
