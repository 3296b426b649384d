/**
 * Round-trip recording shared by the latency clients (channel suite raw and Sluice, shuffle suite): an
 * HDR histogram of nanoseconds and the metrics they report from it.
 */
import { build, type Histogram } from 'hdr-histogram-js';

/** A histogram of round-trip times in ns (1 ns .. 60 s, 3 significant digits; plain JS, no WebAssembly). */
export function newRoundTripHistogram(): Histogram {
  return build({ useWebAssembly: false, lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });
}

/** p50/p99/mean/max in µs of `histogram`, its sample count, and `roundTrips` per second over `seconds`. */
export function roundTripResult(histogram: Histogram, roundTrips: number, seconds: number): Record<string, number> {
  const us = (ns: number): number => ns / 1000;
  return {
    'p50 µs': us(histogram.getValueAtPercentile(50)),
    'p99 µs': us(histogram.getValueAtPercentile(99)),
    'mean µs': us(histogram.mean),
    'max µs': us(histogram.maxValue),
    samples: histogram.totalCount,
    roundTripsPerSecond: roundTrips / seconds,
  };
}
