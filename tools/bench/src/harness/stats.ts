/** Small statistics helpers for per-round figures. */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Smallest and largest value of a non-empty list. */
export function range(values: readonly number[]): [number, number] {
  if (values.length === 0) throw new RangeError('range of an empty list');
  return [Math.min(...values), Math.max(...values)];
}
