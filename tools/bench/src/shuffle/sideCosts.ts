/**
 * The `shuffle` suite's per-side CPU figures (harness side): the cores the producer (the first
 * process) and the consumer (the second) used over the window, and what each spent per unit moved
 * (a record, a buffer). On two shared cores the pair is as fast as its dearer side allows, so these
 * say which side limits a variant and how each side compares with raw's and FlinkPeer's: their
 * ratio column is the side's cost over raw's same side. Left out where /proc is not available.
 */
import type { MetricSpec } from '../harness/Benchmark';
import type { SideCpu } from '../harness/SocketBenchmark';

/** A unit of work the costs are given per, and how to write its cost. */
export interface CostUnit {
  /** Metric suffix: `ns/record`, `µs/buffer`. */
  readonly name: string;
  /** CPU time unit per millisecond of one core: 1e6 for ns, 1e3 for µs. */
  readonly perCoreMs: number;
  readonly digits: number;
}

export const PER_RECORD: CostUnit = { name: 'ns/record', perCoreMs: 1e6, digits: 1 };
export const PER_BUFFER: CostUnit = { name: 'µs/buffer', perCoreMs: 1e3, digits: 1 };

/** The four optional per-side metrics, for a benchmark's metric list. */
export function sideCostMetrics(unit: CostUnit): MetricSpec[] {
  return [
    { name: 'producer cores', better: 'lower', ratio: false, digits: 2, optional: true },
    { name: 'consumer cores', better: 'lower', ratio: false, digits: 2, optional: true },
    { name: `producer ${unit.name}`, better: 'lower', ratio: true, digits: unit.digits, optional: true },
    { name: `consumer ${unit.name}`, better: 'lower', ratio: true, digits: unit.digits, optional: true },
  ];
}

/** The per-side figures of one measurement that moved `unitsPerMs` units per millisecond. */
export function sideCosts(cpu: SideCpu | undefined, unitsPerMs: number, unit: CostUnit): Record<string, number> {
  if (cpu === undefined || !(unitsPerMs > 0)) return {};
  const producer = cpu.receiver;
  const consumer = cpu.sender;
  return {
    'producer cores': producer,
    'consumer cores': consumer,
    [`producer ${unit.name}`]: (producer / unitsPerMs) * unit.perCoreMs,
    [`consumer ${unit.name}`]: (consumer / unitsPerMs) * unit.perCoreMs,
  };
}
