// The server-side frame decoder: framing as Flink's LengthFieldBasedFrameDecoder(MAX, 0, 4, -4, 4), and
// every protocol violation a ProtocolException.
import { describe, expect, it } from '@jest/globals';
import { DecoderException, Unpooled, type ByteBuf } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import { InputChannelID } from '../../src/consumer/InputChannelID';
import { ProtocolException } from '../../src/netty/errors';
import { AddCredit, CloseRequest, ResumeConsumption } from '../../src/netty/message';
import { NettyMessageDecoder } from '../../src/netty/NettyMessageDecoder';
import { encode, readAllInbound, writeInPieces } from './NettyTestUtils';

function header(length: number, magic: number, id: number, bodyBytes = 0): ByteBuf {
  const buf = Unpooled.buffer(9 + bodyBytes);
  buf.writeInt(length).writeInt(magic).writeByte(id).writeZero(bodyBytes);
  return buf;
}

/** The ProtocolException behind what `write` threw. */
function protocolError(channel: EmbeddedChannel, buf: ByteBuf): ProtocolException {
  let thrown: unknown;
  try {
    channel.writeInbound(buf);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(DecoderException);
  const cause = (thrown as Error).cause;
  expect(cause).toBeInstanceOf(ProtocolException);
  return cause as ProtocolException;
}

describe('NettyMessageDecoder', () => {
  it('decodes back-to-back frames split at every byte boundary', () => {
    const id = InputChannelID.random();
    const bytes = encode(new AddCredit(3, id), new CloseRequest(), new ResumeConsumption(id));
    const length = bytes.readableBytes();
    bytes.release();
    for (let cut = 0; cut <= length; cut++) {
      const channel = new EmbeddedChannel(new NettyMessageDecoder());
      writeInPieces(channel, encode(new AddCredit(3, id), new CloseRequest(), new ResumeConsumption(id)), [cut]);
      const out = readAllInbound(channel);
      expect(out.map((m) => (m as object).constructor.name)).toEqual(['AddCredit', 'CloseRequest', 'ResumeConsumption']);
      expect((out[0] as AddCredit).credit).toBe(3);
      channel.finishAndReleaseAll();
    }
  });

  it.each([
    ['a wrong magic number', () => header(9, 0x12345678, 5), /incorrect magic number 0x12345678/],
    ['an unknown message id', () => header(9, 0xbadc0ffe | 0, 42), /unknown message from consumer: id 42/],
    ['a server → client id', () => header(29, 0xbadc0ffe | 0, 9, 20), /unknown message from consumer: id 9/],
    ['a negative frame length', () => header(-5, 0xbadc0ffe | 0, 5), /frame length -5/],
    ['a frame length below the header', () => header(4, 0xbadc0ffe | 0, 5), /frame length 4 \(expected: 9\.\./],
    ['a body of the wrong length', () => header(10, 0xbadc0ffe | 0, 5, 1), /CloseRequest: body of 1 bytes \(expected: 0\)/],
  ])('fails with a ProtocolException naming the remote on %s, then drops the stream', (_name, frame, pattern) => {
    const channel = new EmbeddedChannel(new NettyMessageDecoder());
    const error = protocolError(channel, frame());
    expect(error.message).toMatch(pattern);
    expect(error.message).toContain('(remote: embedded)');
    channel.writeInbound(encode(new CloseRequest()));
    expect(readAllInbound(channel)).toEqual([]);
    channel.finishAndReleaseAll();
  });

  it('rejects a frame longer than maxFrameLength before reading its body', () => {
    const channel = new EmbeddedChannel(new NettyMessageDecoder({ maxFrameLength: 64 }));
    const error = protocolError(channel, header(65, 0xbadc0ffe | 0, 5));
    expect(error.message).toMatch(/frame length 65 \(expected: 9\.\.64\)/);
    channel.finishAndReleaseAll();
  });

  it('rejects a wrong magic number from the header alone, without waiting for the announced body', () => {
    const channel = new EmbeddedChannel(new NettyMessageDecoder());
    // 1 MiB announced, only the 8 bytes of length and magic sent.
    const head = Unpooled.buffer(8).writeInt(1 << 20).writeInt(0x0badf00d);
    expect(protocolError(channel, head).message).toMatch(/incorrect magic number 0x0badf00d/);
    channel.finishAndReleaseAll();
  });

  it('rejects a client-side stream with a client → server id', () => {
    const channel = new EmbeddedChannel(new NettyMessageDecoder({ clientSide: true }));
    expect(protocolError(channel, encode(new CloseRequest())).message).toMatch(/unknown message from producer: id 5/);
    channel.finishAndReleaseAll();
  });
});
