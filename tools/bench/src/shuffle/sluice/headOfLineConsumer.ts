/**
 * Sluice consumer of the `head-of-line` benchmark (second process; measures): two gates, as two tasks
 * would have — gate 0 with `channels − 1` remote channels on the fast partition, gate 1 with one remote
 * channel on the slow partition — all on one TCP connection. Each gate is polled buffer by buffer by
 * its own task (`SingleInputGate.pollNext()`, buffer counted and recycled); the slow task, once slow,
 * waits `slowMsPerBuffer` ms after each buffer before recycling it. Phases: see `headOfLinePhases.ts`;
 * the slow channel's partition is requested only when the slow phase begins (until then its writer is
 * back-pressured with its buffers queued on the producer), and its gate is closed when it ends.
 *
 * Credit mode: the slow channel's sender runs out of credit and the others go on. Push mode (Flink 1.4):
 * the client has no buffer for the slow channel's next message and stops reading the whole connection.
 */
import type { SingleInputGate } from '@sluice/shuffle';
import { startWorker } from '../../harness/worker';
import { sleep } from '../common';
import { HeadOfLinePhases } from '../headOfLinePhases';
import { CONSUMER_RESOURCE_ID, createRemoteGate, startEnv } from './env';

export function runHeadOfLineConsumer(flowControlMode: 'credit' | 'push'): void {
  const worker = startWorker();
  const channels = worker.param('channels');
  const slowMsPerBuffer = worker.param('slowMsPerBuffer');
  let fastBytes = 0;
  let slowBuffers = 0;
  let slowGate: SingleInputGate | null = null;
  // Phase A has no slow channel at all: its partition is requested only when phase B begins (a slow
  // channel consumed at full speed in phase A would take half the connection and inflate the fraction).
  // After phase B the slow channel leaves again (its gate is closed: CancelPartitionRequest; in push mode
  // the client drops what it staged for it), so that phase A′ has no slow channel either.
  const phases = new HeadOfLinePhases(
    worker,
    () => fastBytes,
    () => slowBuffers,
    worker.param('settleMs'),
    () => slowGate?.requestPartitions(),
    () => slowGate?.close(),
  );

  async function fastTask(gate: SingleInputGate): Promise<void> {
    while (!phases.done) {
      for (let next = gate.pollNext(); next !== null; next = gate.pollNext()) {
        if (!next.isBuffer()) continue;
        const buffer = next.getBuffer();
        fastBytes += buffer.getSize();
        buffer.recycleBuffer();
      }
      if (fastBytes > 0) phases.start();
      if (gate.isFinished()) throw new Error('the fast input ended early');
      await gate.getAvailableFuture();
    }
  }

  async function slowTask(gate: SingleInputGate): Promise<void> {
    while (!phases.released) {
      const next = gate.pollNext();
      if (next === null) {
        if (gate.isFinished()) throw new Error('the slow input ended early');
        await gate.getAvailableFuture();
        continue;
      }
      if (!next.isBuffer()) continue;
      const buffer = next.getBuffer();
      if (phases.slow) await sleep(slowMsPerBuffer);
      buffer.recycleBuffer();
      if (!phases.released) slowBuffers++;
    }
  }

  async function main(): Promise<void> {
    const bench = await startEnv(worker, CONSUMER_RESOURCE_ID, 100, flowControlMode);
    const { host, port } = worker.config;
    const fast = createRemoteGate(bench, 0, 0, channels - 1, host, port, 'fast sink (1/1)');
    const slow = createRemoteGate(bench, 1, 0, 1, host, port, 'slow sink (1/1)');
    await fast.setup();
    await slow.setup();
    fast.requestPartitions();
    slowGate = slow;
    await Promise.all([fastTask(fast), slowTask(slow)]);
  }

  worker.onStop(() => undefined);
  main().catch((error: unknown) => {
    if (!phases.done) worker.fail(error);
  });
}
