/**
 * A custom length-prefixed binary protocol, with its encoder and two decoders, shown first in
 * EmbeddedChannel (how you unit-test a codec) and then over TCP.
 *
 * Wire format of one message (big-endian, 11-byte header):
 * ```
 * +--------+------+----------+-------------+----------------------+
 * | magic  | type |    id    | body length |  body (UTF-8)        |
 * | 0x5C1E |  1 B | 4 B (u32)|  4 B (u32)  |  `body length` bytes |
 * +--------+------+----------+-------------+----------------------+
 * ```
 * - {@link ProtocolMessageEncoder} (MessageToByteEncoder) writes it.
 * - {@link ProtocolMessageDecoder} (ByteToMessageDecoder) reads it by hand: check, wait, consume.
 * - {@link FrameToMessageDecoder} (MessageToMessageDecoder) reads one frame that a
 *   LengthFieldBasedFrameDecoder cut out — the other way to do the same, with less code of your own.
 *
 *   npx tsc -b packages/channel examples
 *   node examples/dist/custom-protocol-codec.js               # EmbeddedChannel round trip, then a TCP request/response run
 *   node examples/dist/custom-protocol-codec.js --self-test   # the same, exits non-zero on any mismatch
 */
import {
  Bootstrap,
  ByteBuf,
  ByteToMessageDecoder,
  ChannelInitializer,
  CorruptedFrameException,
  DefaultEventLoopGroup,
  LengthFieldBasedFrameDecoder,
  MessageToByteEncoder,
  MessageToMessageDecoder,
  ServerBootstrap,
  Sharable,
  SimpleChannelInboundHandler,
  TcpServerSocketChannel,
  TcpSocketChannel,
  TooLongFrameException,
  Unpooled,
  type Channel,
  type ChannelHandler,
  type ChannelHandlerContext,
  type EventLoopGroup,
} from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';

/** Where the examples print; the tests pass a collector instead of `console.log`. */
export type Log = (line: string) => void;

export const MAGIC = 0x5c1e;
/** magic (2) + type (1) + id (4) + body length (4). */
export const HEADER_LENGTH = 11;
/** Offset of the body-length field in the header. */
const LENGTH_FIELD_OFFSET = 7;
/** Longest body accepted, in bytes (a decoder must bound what it buffers). */
export const MAX_BODY_LENGTH = 64 * 1024;

/** Message types of the protocol. */
export const MessageType = { REQUEST: 1, RESPONSE: 2 } as const;

/** One protocol message. A class, so codecs can accept it by `instanceof` (`super(ProtocolMessage)`). */
export class ProtocolMessage {
  constructor(
    readonly type: number,
    readonly id: number,
    readonly body: string,
  ) {}
  toString(): string {
    return `ProtocolMessage(type=${this.type}, id=${this.id}, body=${JSON.stringify(this.body)})`;
  }
}

/**
 * ProtocolMessage → bytes. MessageToByteEncoder allocates the output buffer, calls `encode`, writes the
 * buffer with the message's promise, and releases the input message (a no-op here: not ref-counted).
 * Stateless, so it may be `@Sharable`.
 */
@Sharable
export class ProtocolMessageEncoder extends MessageToByteEncoder<ProtocolMessage> {
  constructor() {
    super(ProtocolMessage);
  }

  /** Sized for the message, so `encode` never has to grow the buffer. */
  protected override allocateBuffer(ctx: ChannelHandlerContext, msg: ProtocolMessage): ByteBuf {
    return ctx.alloc().buffer(HEADER_LENGTH + Buffer.byteLength(msg.body, 'utf8'));
  }

  protected encode(_ctx: ChannelHandlerContext, msg: ProtocolMessage, out: ByteBuf): void {
    const start = out.writerIndex();
    out.writeShort(MAGIC).writeByte(msg.type).writeInt(msg.id).writeInt(0); // length patched below
    const bodyLength = out.writeCharSequence(msg.body, 'utf8');
    out.setInt(start + LENGTH_FIELD_OFFSET, bodyLength);
  }
}

/**
 * bytes → ProtocolMessage, by hand. The ByteToMessageDecoder rules, all visible here:
 * 1. read from `input.readerIndex()`, never from 0;
 * 2. not enough bytes → return without moving the reader index (decode is called again when more arrive);
 * 3. a message pushed to `out` must be a new object (or a *retained* slice) — never `input` itself;
 * 4. validate before buffering: a bad magic or a huge length must fail now, not after megabytes arrived.
 * Not sharable (the base class keeps the cumulation per channel): one instance per channel.
 */
export class ProtocolMessageDecoder extends ByteToMessageDecoder {
  protected decode(ctx: ChannelHandlerContext, input: ByteBuf, out: unknown[]): void {
    if (input.readableBytes() < HEADER_LENGTH) return; // rule 2
    const start = input.readerIndex(); // rule 1
    const magic = input.getUnsignedShort(start);
    if (magic !== MAGIC) {
      input.skipBytes(input.readableBytes()); // the stream is unusable: drop it, then fail
      throw new CorruptedFrameException(`bad magic: 0x${magic.toString(16)} (expected: 0x${MAGIC.toString(16)})`, { channel: ctx.channel() });
    }
    const bodyLength = input.getUnsignedInt(start + LENGTH_FIELD_OFFSET);
    if (bodyLength > MAX_BODY_LENGTH) {
      input.skipBytes(input.readableBytes());
      throw new TooLongFrameException(`body length ${bodyLength} exceeds ${MAX_BODY_LENGTH}`, {
        frameLength: bodyLength,
        maxFrameLength: MAX_BODY_LENGTH,
        channel: ctx.channel(),
      });
    }
    if (input.readableBytes() < HEADER_LENGTH + bodyLength) {
      // Optional, Sluice only: lets the cumulation copy exactly the missing bytes of a straddling frame.
      this.expectFrameLength(HEADER_LENGTH + bodyLength);
      return; // rule 2
    }
    input.skipBytes(2); // magic, checked above
    const type = input.readUnsignedByte();
    const id = input.readUnsignedInt();
    input.skipBytes(4); // body length, read above
    const body = input.readCharSequence(bodyLength, 'utf8');
    out.push(new ProtocolMessage(type, id, body)); // rule 3: a new object, holds no buffer
  }
}

/**
 * The other way: `LengthFieldBasedFrameDecoder` cuts frames (it validates the length, waits for the
 * whole frame, and hands over a *retained slice*), and this stateless decoder parses one frame.
 * MessageToMessageDecoder releases the frame after `decode`, so copy what you keep (the string is a copy).
 */
@Sharable
export class FrameToMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  constructor() {
    super(ByteBuf);
  }
  protected decode(ctx: ChannelHandlerContext, frame: ByteBuf, out: unknown[]): void {
    const magic = frame.readUnsignedShort();
    if (magic !== MAGIC) throw new CorruptedFrameException(`bad magic: 0x${magic.toString(16)}`, { channel: ctx.channel() });
    const type = frame.readUnsignedByte();
    const id = frame.readUnsignedInt();
    const bodyLength = frame.readInt();
    out.push(new ProtocolMessage(type, id, frame.readCharSequence(bodyLength, 'utf8')));
  }
}

/** The length-field framing for this protocol: `[offset 7, length 4, adjustment 0, strip 0]`. */
export function newFrameDecoder(): LengthFieldBasedFrameDecoder {
  return new LengthFieldBasedFrameDecoder({
    maxFrameLength: HEADER_LENGTH + MAX_BODY_LENGTH, // the whole frame, header included
    lengthFieldOffset: LENGTH_FIELD_OFFSET,
    lengthFieldLength: 4,
    lengthAdjustment: 0, // the field counts the body only, which is exactly what follows it
    initialBytesToStrip: 0, // keep the header: FrameToMessageDecoder reads type and id from it
  });
}

/** The two decoder set-ups, as fresh handler instances for one channel. */
export type DecoderKind = 'by-hand' | 'length-field';
export function newDecoders(kind: DecoderKind): ChannelHandler[] {
  return kind === 'by-hand' ? [new ProtocolMessageDecoder()] : [newFrameDecoder(), new FrameToMessageDecoder()];
}

// ------------------------------------------------------------------------------------------ EmbeddedChannel

/**
 * Encodes `messages` in one EmbeddedChannel, feeds the bytes in `chunkSize`-byte pieces (as TCP may
 * split them) into another with the chosen decoders, and returns what came out.
 */
export function embeddedRoundTrip(messages: readonly ProtocolMessage[], kind: DecoderKind, chunkSize: number): ProtocolMessage[] {
  // Outbound: writeOutbound runs the encoder; readOutbound returns the ByteBufs that reached the head.
  const encoder = new EmbeddedChannel(new ProtocolMessageEncoder());
  encoder.writeOutbound(...messages);
  const parts: Buffer[] = [];
  for (let buf = encoder.readOutbound<ByteBuf>(); buf !== null; buf = encoder.readOutbound<ByteBuf>()) {
    parts.push(Buffer.from(buf.nioBuffer())); // copy, then release: the test owns what it reads
    buf.release();
  }
  encoder.finish();
  const wire = Buffer.concat(parts);

  // Inbound: writeInbound runs the decoders; readInbound returns what reached the tail.
  const decoder = new EmbeddedChannel(...newDecoders(kind));
  for (let i = 0; i < wire.length; i += chunkSize) {
    decoder.writeInbound(Unpooled.copiedBuffer(wire.subarray(i, i + chunkSize)));
  }
  const decoded: ProtocolMessage[] = [];
  for (let m = decoder.readInbound<ProtocolMessage>(); m !== null; m = decoder.readInbound<ProtocolMessage>()) decoded.push(m);
  decoder.finishAndReleaseAll(); // closes the channel; releases anything left over
  return decoded;
}

/** Feeds bytes with a bad magic to the decoders and returns the error `writeInbound` rethrows. */
export function embeddedCorruptInput(kind: DecoderKind): Error | null {
  const decoder = new EmbeddedChannel(...newDecoders(kind));
  try {
    decoder.writeInbound(Unpooled.copiedBuffer(Buffer.from([0xba, 0xd0, 1, 0, 0, 0, 7, 0, 0, 0, 0])));
    return null;
  } catch (err) {
    return err as Error;
  } finally {
    decoder.finishAndReleaseAll();
  }
}

// ------------------------------------------------------------------------------------------ over TCP

/** Answers each REQUEST with a RESPONSE carrying the same id and the body upper-cased. */
@Sharable
export class UppercaseServerHandler extends SimpleChannelInboundHandler<ProtocolMessage> {
  constructor() {
    super(ProtocolMessage);
  }
  protected channelRead0(ctx: ChannelHandlerContext, req: ProtocolMessage): void {
    if (req.type !== MessageType.REQUEST) return;
    ctx.write(new ProtocolMessage(MessageType.RESPONSE, req.id, req.body.toUpperCase()), ctx.voidPromise());
  }
  override channelReadComplete(ctx: ChannelHandlerContext): void {
    ctx.flush();
  }
  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    console.error(`server: closing ${String(ctx.channel())}: ${cause.message}`);
    ctx.close();
  }
}

/** Collects responses by id; `done` resolves once `expected` arrived. */
class ResponseCollector extends SimpleChannelInboundHandler<ProtocolMessage> {
  readonly responses = new Map<number, string>();
  private finished!: () => void;
  private failed!: (err: Error) => void;
  readonly done = new Promise<void>((resolve, reject) => {
    this.finished = resolve;
    this.failed = reject;
  });
  constructor(private readonly expected: number) {
    super(ProtocolMessage);
  }
  protected channelRead0(_ctx: ChannelHandlerContext, res: ProtocolMessage): void {
    this.responses.set(res.id, res.body);
    if (this.responses.size === this.expected) this.finished();
  }
  override channelInactive(ctx: ChannelHandlerContext): void {
    this.failed(new Error(`connection closed after ${this.responses.size} of ${this.expected} responses`)); // no-op once resolved
    ctx.fireChannelInactive();
  }
  override exceptionCaught(ctx: ChannelHandlerContext, cause: Error): void {
    this.failed(cause);
    ctx.close();
  }
}

/**
 * Server framed with LengthFieldBasedFrameDecoder + FrameToMessageDecoder, client with the hand-written
 * decoder; the client sends `requests` and returns the responses by id.
 */
export async function tcpRequestResponse(group: EventLoopGroup, requests: readonly string[]): Promise<Map<number, string>> {
  const encoder = new ProtocolMessageEncoder(); // @Sharable: one instance for every channel
  const serverHandler = new UppercaseServerHandler();
  const bind = new ServerBootstrap()
    .group(group)
    .channel(TcpServerSocketChannel)
    .childHandler(
      new (class extends ChannelInitializer {
        protected initChannel(ch: Channel): void {
          ch.pipeline().addLastHandlers(...newDecoders('length-field'), encoder, serverHandler);
        }
      })(),
    )
    .bind('127.0.0.1', 0);
  await bind;
  const server = bind.channel();
  try {
    const collector = new ResponseCollector(requests.length);
    const connect = new Bootstrap()
      .group(group)
      .channel(TcpSocketChannel)
      .handler(
        new (class extends ChannelInitializer {
          protected initChannel(ch: Channel): void {
            ch.pipeline().addLastHandlers(...newDecoders('by-hand'), encoder, collector);
          }
        })(),
      )
      .connect(server.localAddress()!);
    await connect;
    const ch = connect.channel();
    try {
      requests.forEach((body, id) => ch.write(new ProtocolMessage(MessageType.REQUEST, id, body), ch.voidPromise()));
      ch.flush();
      await collector.done;
      return collector.responses;
    } finally {
      await ch.close();
    }
  } finally {
    await server.close();
  }
}

// ------------------------------------------------------------------------------------------ self-test

export interface CodecSelfTestResult {
  /** Decoded messages per decoder kind, after a byte-by-byte split and a 5-byte split. */
  embedded: Record<DecoderKind, ProtocolMessage[][]>;
  /** The error each decoder kind reports for a bad magic. */
  corrupt: Record<DecoderKind, Error | null>;
  /** TCP responses by request id. */
  tcp: Map<number, string>;
}

export const SAMPLE_MESSAGES: readonly ProtocolMessage[] = [
  new ProtocolMessage(MessageType.REQUEST, 1, 'hello'),
  new ProtocolMessage(MessageType.RESPONSE, 0xffffffff, ''),
  new ProtocolMessage(MessageType.REQUEST, 42, 'grüße, 世界 🌊'),
  new ProtocolMessage(MessageType.REQUEST, 7, 'x'.repeat(3000)),
];

export async function selfTest(log: Log = console.log): Promise<CodecSelfTestResult> {
  const embedded = {} as Record<DecoderKind, ProtocolMessage[][]>;
  const corrupt = {} as Record<DecoderKind, Error | null>;
  for (const kind of ['by-hand', 'length-field'] as const) {
    embedded[kind] = [1, 5, 4096].map((chunk) => embeddedRoundTrip(SAMPLE_MESSAGES, kind, chunk));
    for (const [i, run] of embedded[kind].entries()) log(`embedded (${kind}, run ${i}): ${run.length} messages, ids ${run.map((m) => m.id).join(',')}`);
    corrupt[kind] = embeddedCorruptInput(kind);
    log(`embedded (${kind}) bad magic -> ${corrupt[kind]?.name ?? 'no error'}: ${corrupt[kind]?.message ?? ''}`);
  }
  const group = new DefaultEventLoopGroup(1);
  try {
    const tcp = await tcpRequestResponse(group, ['ping', 'sluice', 'length-prefixed']);
    for (const [id, body] of tcp) log(`tcp response ${id}: ${body}`);
    return { embedded, corrupt, tcp };
  } finally {
    await group.shutdownGracefully(0, 1000);
  }
}

/** Whether two message lists are equal field by field. */
export function sameMessages(a: readonly ProtocolMessage[], b: readonly ProtocolMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.type === b[i]!.type && m.id === b[i]!.id && m.body === b[i]!.body);
}

export async function main(argv: readonly string[]): Promise<void> {
  const result = await selfTest();
  const ok =
    Object.values(result.embedded).every((runs) => runs.every((run) => sameMessages(run, SAMPLE_MESSAGES))) &&
    Object.values(result.corrupt).every((e) => e instanceof CorruptedFrameException) &&
    result.tcp.get(2) === 'LENGTH-PREFIXED';
  if (argv.includes('--self-test') || !ok) console.log(ok ? 'self-test OK: both decoders round-trip every split' : 'self-test FAILED');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
