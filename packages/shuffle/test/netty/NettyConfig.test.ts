import { describe, expect, it } from '@jest/globals';
import { IllegalArgumentException } from '@sluice/channel';
import { NettyConfig } from '../../src/netty/NettyConfig';

describe('NettyConfig', () => {
  it("has Flink's defaults", () => {
    const config = new NettyConfig();
    expect(config).toMatchObject({
      serverAddress: '127.0.0.1',
      serverPort: 0,
      segmentSize: 32768,
      clientConnectTimeoutSeconds: 120,
      connectionRetries: 0,
      maxNumberOfConnections: 1,
      flowControlMode: 'credit',
      maxFrameLength: 64 * 1024 * 1024,
      sslEnabled: false,
    });
    expect(config.isCreditBased()).toBe(true);
  });

  it('limits frames to 64 MiB, or two segments when they are larger, and never below one full BufferResponse', () => {
    expect(NettyConfig.resolve({ maxFrameLength: '1mb' }).maxFrameLength).toBe(1024 * 1024);
    expect(new NettyConfig({ segmentSize: 64 * 1024 * 1024 }).maxFrameLength).toBe(128 * 1024 * 1024);
    // 9-byte frame header + 38-byte BufferResponse header + the segment.
    expect(new NettyConfig({ segmentSize: 1024, maxFrameLength: 1024 + 47 }).maxFrameLength).toBe(1071);
    // The shuffle configuration's segment size replaces the network's: a derived limit follows it, a given one stays.
    expect(new NettyConfig().withSegmentSize(128 * 1024 * 1024)).toMatchObject({ segmentSize: 128 * 1024 * 1024, maxFrameLength: 256 * 1024 * 1024 });
    expect(new NettyConfig({ maxFrameLength: 100 * 1024 * 1024 }).withSegmentSize(64 * 1024 * 1024).maxFrameLength).toBe(100 * 1024 * 1024);
    expect(() => new NettyConfig({ segmentSize: 1024, maxFrameLength: 1024 + 46 })).toThrow(/maxFrameLength: 1070 \(expected: an integer in \[1071, 2147483647\]\)/);
  });

  it("resolves Flink's keys, numbers given as text and memory sizes", () => {
    const config = NettyConfig.resolve({
      'taskmanager.data.port': '6121',
      'taskmanager.memory.segment-size': '16kb',
      'taskmanager.network.netty.client.connectTimeoutSec': 5,
      'taskmanager.network.retries': '2',
      'taskmanager.network.max-num-tcp-connections': 4,
      'taskmanager.network.credit-based-flow-control.enabled': 'false',
    });
    expect(config).toMatchObject({
      serverPort: 6121,
      segmentSize: 16384,
      clientConnectTimeoutSeconds: 5,
      connectionRetries: 2,
      maxNumberOfConnections: 4,
      flowControlMode: 'push',
    });
    expect(NettyConfig.resolve({ flowControlMode: 'push' }).isCreditBased()).toBe(false);
  });

  it('rejects unknown keys, out-of-range values, and TLS without key material', () => {
    expect(() => NettyConfig.resolve({ 'taskmanager.data.prot': 1 })).toThrow(/unknown network option 'taskmanager.data.prot'/);
    expect(() => new NettyConfig({ serverPort: 70000 })).toThrow(IllegalArgumentException);
    expect(() => new NettyConfig({ maxNumberOfConnections: 0 })).toThrow(/maxNumberOfConnections: 0/);
    expect(() => new NettyConfig({ flowControlMode: 'pull' as 'push' })).toThrow(/flowControlMode: 'pull'/);
    expect(() => new NettyConfig({ sslEnabled: true })).toThrow(/needs sslKey and sslCert/);
  });
});
