// Runs the main demo, examples/shuffle-job.ts, with small numbers: in-process (ts-jest compiles it from
// source; the two TaskManagers get separate containers and resource ids, so their 2 × 2 channels are
// RemoteInputChannels over one real TCP connection on 127.0.0.1) in both flow-control modes, and — when
// the examples were built (`npm run build`, which CI runs first) — as forked processes, exactly as
// `npm start` runs it. Each TaskManager's `container.unbindAll()` fails the job if a network buffer did
// not come back; the jest setup checks the leak detector after every test.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { build as buildHistogram, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { formatSummary, runShuffleJob, summarize, type JobSummary } from '../../../../examples/shuffle-job';
import { KeyStats } from '../../../../examples/shuffle-job/records';
import { NettyShuffleMaster } from '../../src/shuffle/NettyShuffleMaster';

// The example imports the package by name: give it this source tree (not a possibly stale dist/), and so
// the same classes and leak detector as this test.
jest.mock('@sluice/shuffle', () => jest.requireActual('../../src/index'));

const EXAMPLES = join(__dirname, '../../../../examples');

function expectExactlyOnce(summary: JobSummary, records: number): void {
  expect(summary.check).toMatchObject({ ok: true, mismatches: [], misroutedKeys: [], corruptRecords: 0 });
  expect(summary.check.matchingKeys).toBe(summary.check.keys);
  expect(summary.sent).toBe(records);
  expect(summary.received).toBe(records);
  expect(summary.ok).toBe(true);
  expect(summary.bytes).toBeGreaterThanOrEqual(records * 28);
  // Every aggregator read all of its sources' channels, each a remote channel sampled while running.
  for (const a of summary.aggregators) {
    expect(a.channels).toHaveLength(summary.job.sources);
    expect(a.records).toBeGreaterThan(0);
  }
}

describe('examples/shuffle-job', () => {
  it('runs against this source tree', () => {
    expect(new NettyShuffleMaster()).toBeInstanceOf(NettyShuffleMaster);
  });

  it.each(['credit', 'push'] as const)('moves every record exactly once from 2 sources to 2 aggregators over TCP (%s mode)', async (flowControl) => {
    const lines: string[] = [];
    const summary = await runShuffleJob({
      mode: 'in-process',
      records: 20_000,
      sources: 2,
      aggregators: 2,
      keys: 32,
      flowControl,
      segmentSize: 4096,
      numberOfBuffers: 256,
      progress: false,
      deadlineMs: 50_000,
      log: (line) => lines.push(line),
    });
    expectExactlyOnce(summary, 20_000);
    expect(summary.job.flowControl).toBe(flowControl);
    expect(lines.join('\n')).toMatch(/verdict: PASS — every record arrived exactly once$/);
    expect(lines[0]).toContain(flowControl === 'credit' ? 'credit-based flow control' : 'push mode');
    if (flowControl === 'credit') {
      // Initial credit = 2 exclusive buffers per channel; sampled credit never exceeds exclusive + floating.
      for (const c of summary.aggregators.flatMap((a) => a.channels)) expect(c.creditMax).toBeLessThanOrEqual(2 + 8);
    }
  });

  it('still delivers exactly once with a slow aggregator and many channels (3 × 5, credit and push)', async () => {
    for (const flowControl of ['credit', 'push'] as const) {
      const summary = await runShuffleJob({
        mode: 'in-process',
        records: 15_000,
        sources: 3,
        aggregators: 5,
        keys: 64,
        flowControl,
        segmentSize: 4096,
        numberOfBuffers: 256,
        slowEvery: 200,
        bufferTimeoutMs: 1,
        progress: false,
        deadlineMs: 50_000,
        log: () => undefined,
      });
      expectExactlyOnce(summary, 15_000);
      expect(summary.aggregators[0]!.slow).toBe(true);
      expect(formatSummary(summary).some((l) => l.includes('aggregator 1 slow'))).toBe(true);
    }
  });

  it('reports a failed check as a mismatch per key (summary of made-up results)', () => {
    const job = {
      records: 2,
      sources: 1,
      aggregators: 1,
      keys: 2,
      flowControl: 'credit' as const,
      bufferTimeoutMs: 10,
      segmentSize: 4096,
      numberOfBuffers: 16,
      buffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      slowEvery: 0,
    };
    const sent = new KeyStats(2);
    sent.add(0, 0, 7);
    sent.add(1, 1, 9);
    const received = new KeyStats(2);
    received.add(0, 0, 7);
    received.add(0, 0, 7); // a duplicate of record 0, and record 1 lost
    const h = buildHistogram({ useWebAssembly: false });
    const summary = summarize(
      job,
      [{ subtask: 0, records: 2, waits: 0, hardBackPressuredMs: 0, softBackPressuredMs: 0, elapsedMs: 1, keyTargets: [0, 0], keyStats: sent.toJSON() }],
      [
        {
          subtask: 0,
          records: 2,
          corrupt: 0,
          activeMs: 1,
          elapsedMs: 1,
          starvedMs: 0,
          bytesIn: 56,
          buffersIn: 1,
          latency: encodeIntoCompressedBase64(h),
          keyStats: received.toJSON(),
          channels: [],
        },
      ],
      1,
    );
    h.destroy();
    expect(summary.ok).toBe(false);
    expect(summary.check.mismatches.map((m) => [m.key, m.sentCount, m.receivedCount])).toEqual([
      [0, 1, 2],
      [1, 1, 0],
    ]);
    expect(formatSummary(summary).at(-1)).toBe('verdict: FAIL');
  });

  // The real thing: JobMaster here, two forked TaskManager processes. Needs the compiled examples (and
  // skips if they are missing or older than the source, rather than testing stale code).
  const compiled = join(EXAMPLES, 'dist/shuffle-job.js');
  const fresh =
    existsSync(compiled) &&
    ['shuffle-job.ts', 'shuffle-job/roles.ts', 'shuffle-job/protocol.ts', 'shuffle-job/records.ts', 'shuffle-job/summary.ts'].every((f) => {
      // Each source against its own output: tsc -b rewrites only the outputs that changed.
      const output = join(EXAMPLES, 'dist', f.replace(/\.ts$/, '.js'));
      return existsSync(output) && statSync(join(EXAMPLES, f)).mtimeMs <= statSync(output).mtimeMs + 1;
    });
  (fresh ? it : it.skip)('runs as a JobMaster with two forked TaskManager processes (compiled examples)', async () => {
    const summary = await runShuffleJob({
      mode: 'processes',
      workerScript: compiled,
      records: 20_000,
      sources: 2,
      aggregators: 2,
      keys: 32,
      progress: false,
      deadlineMs: 50_000,
      log: () => undefined,
    });
    expectExactlyOnce(summary, 20_000);
  });
});
