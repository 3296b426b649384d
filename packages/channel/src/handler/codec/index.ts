export {
  CodecException,
  CorruptedFrameException,
  DecoderException,
  EncoderException,
  TooLongFrameException,
  type CodecErrorOptions,
  type CorruptedFrameOptions,
  type TooLongFrameOptions,
} from './errors';
export type { MessageMatcher } from './TypeParameterMatcher';
export { ByteToMessageDecoder, type Cumulator } from './ByteToMessageDecoder';
export { ByteToMessageCodec } from './ByteToMessageCodec';
export { MessageToByteEncoder } from './MessageToByteEncoder';
export { MessageToMessageEncoder } from './MessageToMessageEncoder';
export { MessageToMessageDecoder } from './MessageToMessageDecoder';
export { MessageToMessageCodec } from './MessageToMessageCodec';
export {
  LengthFieldBasedFrameDecoder,
  type ByteOrder,
  type LengthFieldBasedFrameDecoderOptions,
} from './LengthFieldBasedFrameDecoder';
export { LengthFieldPrepender, type LengthFieldPrependerOptions } from './LengthFieldPrepender';
export { FixedLengthFrameDecoder } from './FixedLengthFrameDecoder';
export { LineBasedFrameDecoder, type LineBasedFrameDecoderOptions } from './LineBasedFrameDecoder';
export {
  DelimiterBasedFrameDecoder,
  type Delimiter,
  type DelimiterBasedFrameDecoderOptions,
} from './DelimiterBasedFrameDecoder';
export { Delimiters } from './Delimiters';
