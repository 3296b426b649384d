/**
 * An endpoint of a channel (java.net.SocketAddress). Each transport has its own kind:
 * {@link InetSocketAddress} for TCP, `LocalAddress` for the in-process transport, `EmbeddedSocketAddress`.
 */
export abstract class SocketAddress {
  abstract toString(): string;
}

/** An IP host and port (java.net.InetSocketAddress). Printed `host:port`, IPv6 as `[host]:port`. */
export class InetSocketAddress extends SocketAddress {
  constructor(
    /** Host name or literal IP address. */
    readonly host: string,
    /** Port, 0..65535 (0 = ephemeral, for bind). */
    readonly port: number,
  ) {
    super();
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`port out of range: ${port} (expected: 0..65535)`);
    }
  }

  toString(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }
}
