/** The suite registry: `bench <suite>` picks one by name. */
import type { Benchmark } from './harness/Benchmark';
import { channelSuite } from './channel';
import { shuffleSuite } from './shuffle';
import { shuffleLocalSuite } from './shuffle-local';

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  readonly benchmarks: readonly Benchmark[];
}

/** Implemented suites, by name. Built lazily so that `--help` constructs nothing. */
export const SUITES: ReadonlyMap<string, () => BenchSuite> = new Map([
  ['channel', channelSuite],
  ['shuffle-local', shuffleLocalSuite],
  ['shuffle', shuffleSuite],
]);

/** Suites that are planned (DESIGN.md) but have no benchmarks yet. */
export const PLANNED_SUITES: readonly string[] = [];
