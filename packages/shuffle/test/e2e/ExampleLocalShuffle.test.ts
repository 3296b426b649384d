// Runs examples/local-shuffle.ts in-process (ts-jest compiles it from source), so the example users copy
// from cannot silently rot. The jest setup checks for buffer leaks at PARANOID after the test, and the
// example's own `container.unbindAll()` fails if a network buffer did not come back.
import { describe, expect, it, jest } from '@jest/globals';
import { EXAMPLE_CONFIG, READINGS, runLocalShuffle } from '../../../../examples/local-shuffle';
import { ObjectSerializer } from '../../src/io/typeutils/ObjectSerializer';

// The example imports the package by name: give it this source tree (the jest config maps only
// @sluice/channel), not a possibly stale dist/ — and so the same classes and leak detector as this test.
jest.mock('@sluice/shuffle', () => jest.requireActual('../../src/index'));

describe('examples/local-shuffle', () => {
  it('runs against this source tree', () => {
    expect(READINGS).toBeInstanceOf(ObjectSerializer);
  });

  it('moves every reading from one writer to one reader, in order, waiting for buffers when the pool is empty', async () => {
    const lines: string[] = [];
    const summary = await runLocalShuffle({ records: 20000, log: (line) => lines.push(line) });
    expect(summary).toMatchObject({ written: 20000, read: 20000 });
    expect(summary.waits).toBeGreaterThan(0); // 16 buffers of 4 KiB for ~600 KB of readings
    expect(summary.buffers).toBeGreaterThan(100);
    expect(summary.bytes).toBeGreaterThan(20000 * 30);
    expect(lines[0]).toBe('network buffers: 16 of 4096 bytes; buffer timeout 5 ms');
    expect(lines[1]).toMatch(/^moved 20000 readings \(\d+ bytes in \d+ buffers\) from 'readings source' to 'readings sink' in [\d.]+ ms/);
    expect(lines[2]).toMatch(/^the producer waited for a free buffer \d+ times; the consumer saw every reading once, in order$/);
  });

  it('works with other configurations: buffer timeout 0 and −1, large buffers', async () => {
    const quiet = (): void => undefined;
    for (const config of [
      { ...EXAMPLE_CONFIG, 'execution.buffer-timeout': 0 },
      { ...EXAMPLE_CONFIG, 'execution.buffer-timeout': -1 },
      { 'taskmanager.memory.segment-size': '32kb', numberOfBuffers: 8, bufferTimeoutMs: '1 ms' },
    ]) {
      await expect(runLocalShuffle({ records: 5000, config, log: quiet })).resolves.toMatchObject({ read: 5000 });
    }
  });
});
