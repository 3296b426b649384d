export { TcpSocketChannel, NioSocketChannel, type TcpSocketChannelOptions } from './TcpSocketChannel';
export { TcpSocketChannelConfig } from './TcpSocketChannelConfig';
export { TcpServerSocketChannel, NioServerSocketChannel, type TcpServerSocketChannelOptions } from './TcpServerSocketChannel';
export { TcpServerSocketChannelConfig } from './TcpServerSocketChannelConfig';
export {
  BindException,
  ChannelOutputShutdownException,
  ConnectionResetException,
  TransportIOException,
  UnsupportedMessageTypeException,
  type TransportErrorContext,
} from './errors';
