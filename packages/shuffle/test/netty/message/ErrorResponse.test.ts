// ErrorResponse encodings: Sluice's own (docs/protocol.md) and a Java peer's Java-serialized Throwable.
import { describe, expect, it } from '@jest/globals';
import { Unpooled, type ByteBuf } from '@sluice/channel';
import { EmbeddedChannel } from '@sluice/channel/testing';
import { InputChannelID } from '../../../src/consumer/InputChannelID';
import { ProtocolException } from '../../../src/netty/errors';
import { ErrorResponse } from '../../../src/netty/message';
import { NettyMessageClientDecoderDelegate } from '../../../src/netty/NettyMessageClientDecoderDelegate';
import { isPartitionNotFound, RemoteThrowable } from '../../../src/netty/RemoteThrowable';
import { encode, FakeNetworkClientHandler, readAllInbound } from '../NettyTestUtils';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');

// Generated once with OpenJDK 17 (ObjectOutputStream.writeObject of the Throwable), see the comment of each.
// new IllegalStateException("Network stream corrupted: unknown message id 42") with the stack
// [org.example.Producer.emit(Producer.java:42), org.example.Main.main(Unknown Source)]
const JAVA_ISE = hex(`
  aced00057372001f6a6176612e6c616e672e496c6c6567616c5374617465457863657074696f6ee65755e69a46f24802
  00007872001a6a6176612e6c616e672e52756e74696d65457863657074696f6e9e5f06470a3483e5020000787200136a
  6176612e6c616e672e457863657074696f6ed0fd1f3e1a3b1cc4020000787200136a6176612e6c616e672e5468726f77
  61626c65d5c635273977b8cb0300044c000563617573657400154c6a6176612f6c616e672f5468726f7761626c653b4c
  000d64657461696c4d6573736167657400124c6a6176612f6c616e672f537472696e673b5b000a737461636b54726163
  6574001e5b4c6a6176612f6c616e672f537461636b5472616365456c656d656e743b4c00147375707072657373656445
  7863657074696f6e737400104c6a6176612f7574696c2f4c6973743b787071007e000874002f4e6574776f726b207374
  7265616d20636f727275707465643a20756e6b6e6f776e206d6573736167652069642034327572001e5b4c6a6176612e
  6c616e672e537461636b5472616365456c656d656e743b02462a3c3cfd22390200007870000000027372001b6a617661
  2e6c616e672e537461636b5472616365456c656d656e746109c59a2636dd85020008420006666f726d617449000a6c69
  6e654e756d6265724c000f636c6173734c6f616465724e616d6571007e00054c000e6465636c6172696e67436c617373
  71007e00054c000866696c654e616d6571007e00054c000a6d6574686f644e616d6571007e00054c000a6d6f64756c65
  4e616d6571007e00054c000d6d6f64756c6556657273696f6e71007e00057870000000002a707400146f72672e657861
  6d706c652e50726f647563657274000d50726f64756365722e6a617661740004656d697470707371007e000c00ffffff
  ff707400106f72672e6578616d706c652e4d61696e707400046d61696e70707372001f6a6176612e7574696c2e436f6c
  6c656374696f6e7324456d7074794c6973747ab817b43ca79ede020000787078
`);
// org.apache.flink.runtime.io.network.partition.PartitionNotFoundException("Partition abc@def not found.")
// (an IOException with a Serializable field `partitionId`), same stack
const JAVA_PNF = hex(`
  aced0005737200486f72672e6170616368652e666c696e6b2e72756e74696d652e696f2e6e6574776f726b2e70617274
  6974696f6e2e506172746974696f6e4e6f74466f756e64457863657074696f6e00000000000000000200014c000b7061
  72746974696f6e496474005c4c6f72672f6170616368652f666c696e6b2f72756e74696d652f696f2f6e6574776f726b
  2f706172746974696f6e2f506172746974696f6e4e6f74466f756e64457863657074696f6e24526573756c7450617274
  6974696f6e49443b787200136a6176612e696f2e494f457863657074696f6e6c8073646525f0ab020000787200136a61
  76612e6c616e672e457863657074696f6ed0fd1f3e1a3b1cc4020000787200136a6176612e6c616e672e5468726f7761
  626c65d5c635273977b8cb0300044c000563617573657400154c6a6176612f6c616e672f5468726f7761626c653b4c00
  0d64657461696c4d6573736167657400124c6a6176612f6c616e672f537472696e673b5b000a737461636b5472616365
  74001e5b4c6a6176612f6c616e672f537461636b5472616365456c656d656e743b4c0014737570707265737365644578
  63657074696f6e737400104c6a6176612f7574696c2f4c6973743b787071007e000974001c506172746974696f6e2061
  626340646566206e6f7420666f756e642e7572001e5b4c6a6176612e6c616e672e537461636b5472616365456c656d65
  6e743b02462a3c3cfd22390200007870000000027372001b6a6176612e6c616e672e537461636b5472616365456c656d
  656e746109c59a2636dd85020008420006666f726d617449000a6c696e654e756d6265724c000f636c6173734c6f6164
  65724e616d6571007e00064c000e6465636c6172696e67436c61737371007e00064c000866696c654e616d6571007e00
  064c000a6d6574686f644e616d6571007e00064c000a6d6f64756c654e616d6571007e00064c000d6d6f64756c655665
  7273696f6e71007e00067870000000002a707400146f72672e6578616d706c652e50726f647563657274000d50726f64
  756365722e6a617661740004656d697470707371007e000d00ffffffff707400106f72672e6578616d706c652e4d6169
  6e707400046d61696e70707372001f6a6176612e7574696c2e436f6c6c656374696f6e7324456d7074794c6973747ab8
  17b43ca79ede0200007870787372005a6f72672e6170616368652e666c696e6b2e72756e74696d652e696f2e6e657477
  6f726b2e706172746974696f6e2e506172746974696f6e4e6f74466f756e64457863657074696f6e24526573756c7450
  6172746974696f6e4944f3799e20e45a9dce0200034a00056c6f77657249000c706172746974696f6e4e756d4a000575
  7070657278700102030405060708000000031112131415161718
`);
// new IOException("fetch failed", new java.net.ConnectException("Connection refused")), empty stacks
const JAVA_CAUSE = hex(`
  aced0005737200136a6176612e696f2e494f457863657074696f6e6c8073646525f0ab020000787200136a6176612e6c
  616e672e457863657074696f6ed0fd1f3e1a3b1cc4020000787200136a6176612e6c616e672e5468726f7761626c65d5
  c635273977b8cb0300044c000563617573657400154c6a6176612f6c616e672f5468726f7761626c653b4c000d646574
  61696c4d6573736167657400124c6a6176612f6c616e672f537472696e673b5b000a737461636b547261636574001e5b
  4c6a6176612f6c616e672f537461636b5472616365456c656d656e743b4c001473757070726573736564457863657074
  696f6e737400104c6a6176612f7574696c2f4c6973743b7870737200196a6176612e6e65742e436f6e6e656374457863
  657074696f6e352be1e2a8f72fbf020000787200186a6176612e6e65742e536f636b6574457863657074696f6ead9f89
  c5411f5e6a0200007871007e000071007e000a740012436f6e6e656374696f6e20726566757365647572001e5b4c6a61
  76612e6c616e672e537461636b5472616365456c656d656e743b02462a3c3cfd22390200007870000000007372001f6a
  6176612e7574696c2e436f6c6c656374696f6e7324456d7074794c6973747ab817b43ca79ede02000078707874000c66
  65746368206661696c65647571007e000c0000000071007e000f78
`);
// new RuntimeException() (no message), empty stack
const JAVA_NOMSG = hex(`
  aced00057372001a6a6176612e6c616e672e52756e74696d65457863657074696f6e9e5f06470a3483e5020000787200
  136a6176612e6c616e672e457863657074696f6ed0fd1f3e1a3b1cc4020000787200136a6176612e6c616e672e546872
  6f7761626c65d5c635273977b8cb0300044c000563617573657400154c6a6176612f6c616e672f5468726f7761626c65
  3b4c000d64657461696c4d6573736167657400124c6a6176612f6c616e672f537472696e673b5b000a737461636b5472
  61636574001e5b4c6a6176612f6c616e672f537461636b5472616365456c656d656e743b4c0014737570707265737365
  64457863657074696f6e737400104c6a6176612f7574696c2f4c6973743b787071007e0007707572001e5b4c6a617661
  2e6c616e672e537461636b5472616365456c656d656e743b02462a3c3cfd22390200007870000000007372001f6a6176
  612e7574696c2e436f6c6c656374696f6e7324456d7074794c6973747ab817b43ca79ede020000787078
`);

/** An ErrorResponse body: the Java stream, then hasReceiver and the receiver id. */
function javaBody(stream: Buffer, receiver: InputChannelID | null): ByteBuf {
  const body = Unpooled.buffer(stream.length + 17);
  body.writeBytes(stream);
  if (receiver === null) {
    body.writeBoolean(false);
  } else {
    body.writeBoolean(true);
    receiver.writeTo(body);
  }
  return body;
}

function read(body: ByteBuf): ErrorResponse {
  try {
    return ErrorResponse.readFrom(body);
  } finally {
    body.release();
  }
}

describe('ErrorResponse from a Java peer (Java serialization)', () => {
  it('reads the class name, detail message, stack and receiver of a Java-serialized exception', () => {
    const receiver = InputChannelID.random();
    const response = read(javaBody(JAVA_ISE, receiver));
    const cause = response.cause as RemoteThrowable;
    expect(cause).toBeInstanceOf(RemoteThrowable);
    expect(cause.format).toBe('java');
    expect(cause.className).toBe('java.lang.IllegalStateException');
    expect(cause.message).toBe('Network stream corrupted: unknown message id 42');
    expect(cause.remoteStack).toBe('    at org.example.Producer.emit(Producer.java:42)\n    at org.example.Main.main(Unknown Source)');
    expect(response.receiverId!.equals(receiver)).toBe(true);
  });

  it("recognises Flink's PartitionNotFoundException, whose subclass fields follow Throwable's", () => {
    const response = read(javaBody(JAVA_PNF, null));
    expect(response.isFatalError()).toBe(true);
    expect((response.cause as RemoteThrowable).message).toBe('Partition abc@def not found.');
    expect(isPartitionNotFound(response.cause)).toBe(true);
  });

  it('follows the cause chain and keeps a null message null', () => {
    const response = read(javaBody(JAVA_CAUSE, InputChannelID.random()));
    const outer = response.cause as RemoteThrowable;
    expect([outer.className, outer.message]).toEqual(['java.io.IOException', 'fetch failed']);
    const inner = outer.cause as RemoteThrowable;
    expect([inner.className, inner.message, inner.cause]).toEqual(['java.net.ConnectException', 'Connection refused', undefined]);
    const noMessage = read(javaBody(JAVA_NOMSG, null)).cause as RemoteThrowable;
    expect([noMessage.className, noMessage.remoteMessage]).toEqual(['java.lang.RuntimeException', null]);
  });

  it('falls back to the tail rule for a stream it cannot walk', () => {
    const corrupt = Buffer.from(JAVA_ISE);
    // The TC_ENDBLOCKDATA closing the first class descriptor's annotation becomes an unknown type code.
    corrupt[corrupt.indexOf(Buffer.from([0x78, 0x72]), 8)] = 0x01;
    const receiver = InputChannelID.random();
    const response = read(javaBody(corrupt, receiver));
    expect((response.cause as RemoteThrowable).className).toBe('java.lang.IllegalStateException');
    expect((response.cause as RemoteThrowable).remoteMessage).toBeNull(); // the tail rule knows no message
    expect(response.receiverId!.equals(receiver)).toBe(true);
    const fatal = read(javaBody(corrupt, null));
    expect(fatal.isFatalError()).toBe(true);
  });

  it('is decoded by the client delegate from a frame split across reads', () => {
    const receiver = InputChannelID.random();
    const body = javaBody(JAVA_PNF, receiver);
    const frame = Unpooled.buffer(9 + body.readableBytes());
    frame.writeInt(9 + body.readableBytes()).writeInt(0xbadc0ffe | 0).writeByte(1).writeBytes(body);
    body.release();
    const channel = new EmbeddedChannel(new NettyMessageClientDecoderDelegate(new FakeNetworkClientHandler()));
    channel.writeInbound(frame.readRetainedSlice(5), frame.readRetainedSlice(300), frame.readRetainedSlice(frame.readableBytes()));
    frame.release();
    const [response] = readAllInbound(channel) as [ErrorResponse];
    expect(isPartitionNotFound(response.cause)).toBe(true);
    expect(response.receiverId!.equals(receiver)).toBe(true);
    channel.finishAndReleaseAll();
  });
});

describe('ErrorResponse in the Sluice encoding', () => {
  /** The body of an encoded ErrorResponse (frame header stripped). */
  function bodyOf(response: ErrorResponse): ByteBuf {
    const frame = encode(response);
    frame.skipBytes(9);
    return frame;
  }

  it('starts with a marker a Java peer reads as a bad stream header followed by hasReceiver = false', () => {
    const body = bodyOf(new ErrorResponse(new Error('x'), InputChannelID.random()));
    try {
      // FlinkPeer's ObjectInputStream consumes 4 bytes (StreamCorruptedException), then reads hasReceiver.
      expect([body.getUnsignedShort(0 + body.readerIndex()), body.getUnsignedByte(body.readerIndex() + 4)]).toEqual([0x5345, 0]);
    } finally {
      body.release();
    }
  });

  it('cuts long messages and deep cause chains', () => {
    let cause: Error = new Error('root');
    for (let i = 0; i < 20; i++) cause = new Error(`level ${i}`, { cause });
    const long = new Error('y'.repeat(100_000), { cause });
    const response = read(bodyOf(new ErrorResponse(long)));
    let depth = 0;
    for (let e: unknown = response.cause; e instanceof RemoteThrowable; e = e.cause) depth++;
    expect(depth).toBe(8);
    expect(response.cause.message).toHaveLength(16384);
  });

  it.each([
    ['an unknown encoding', (b: ByteBuf) => b.setShort(b.readerIndex(), 0x1234), /unknown error encoding 0x1234/],
    ['an unknown version', (b: ByteBuf) => b.setByte(b.readerIndex() + 2, 2), /encoding version 2 \(expected: 1\)/],
    ['a bad block length', (b: ByteBuf) => b.setInt(b.readerIndex() + 4, 1 << 24), /error block length 16777216/],
    ['a bad hasReceiver flag', (b: ByteBuf) => b.setByte(b.writerIndex() - 17, 2), /hasReceiver 2 followed by 16 bytes/],
    ['a missing receiver id', (b: ByteBuf) => b.writerIndex(b.writerIndex() - 1), /hasReceiver 1 followed by 15 bytes/],
  ])('rejects %s with a ProtocolException', (_name, corrupt, pattern) => {
    const body = bodyOf(new ErrorResponse(new Error('x'), InputChannelID.random()));
    corrupt(body);
    expect(() => read(body)).toThrow(ProtocolException);
    const again = bodyOf(new ErrorResponse(new Error('x'), InputChannelID.random()));
    corrupt(again);
    expect(() => read(again)).toThrow(pattern);
  });
});
