/**
 * The measuring loop of the Sluice consumers of the `throughput-*` benchmarks: one RecordReader
 * (`pollNext()`, which allocates nothing itself; a long of 2^31 or more is a heap number in the loop)
 * over the given gates (joined in a UnionInputGate when there are several), every record checked,
 * records/ms in a {@link throughputWindow} that starts at the first record (so connecting is not
 * measured), plus `cpu/wall` of the process and records per received buffer (2730.7 for full 32 KiB
 * buffers; flush timeouts make them smaller).
 *
 * ## Pitfalls
 * Once the window has closed the loop stops reading and errors are ignored: the harness stops the
 * producer next, and its disconnect must not fail this side.
 */
import { LongSerializer, RecordReader, UnionInputGate, type SingleInputGate } from '@sluice/shuffle';
import type { Worker } from '../../harness/worker';
import { throughputWindow } from '../common';

/** The per-record check (throws on a lost, duplicated or reordered record). */
export interface RecordCheck {
  check(value: number): void;
}

/** What a consumer reads: gates already set up, and its check. */
export interface ConsumerInputs {
  readonly gates: readonly SingleInputGate[];
  readonly checker: RecordCheck;
}

/** Runs `setup`, then reads and measures until the window closes; reports through `worker`. */
export function runRecordConsumer(worker: Worker, setup: () => Promise<ConsumerInputs>): void {
  let done = false;
  worker.onStop(() => undefined);
  const main = async (): Promise<void> => {
    const { gates, checker } = await setup();
    const reader = new RecordReader(gates.length > 1 ? new UnionInputGate(...gates) : gates[0]!, LongSerializer.INSTANCE);
    let recordsRead = 0;
    const buffersRead = (): number => {
      let total = 0;
      for (const gate of gates) for (let c = 0; c < gate.getNumberOfInputChannels(); c++) total += gate.getChannel(c).getNumBuffersInCounter().getCount();
      return total;
    };
    const window = throughputWindow(
      worker,
      () => [recordsRead, buffersRead()],
      () => {
        done = true;
      },
    );
    let count = 0;
    let started = false;
    while (!done) {
      for (let value = reader.pollNext(); value !== undefined; value = reader.pollNext()) {
        checker.check(value);
        count++;
      }
      recordsRead = count;
      if (!started && count > 0) {
        started = true;
        window.start();
      }
      if (reader.isFinished()) throw new Error('the input ended before the measurement window closed');
      if (!done) await reader.getAvailableFuture();
    }
  };
  main().catch((error: unknown) => {
    if (!done) worker.fail(error);
  });
}
