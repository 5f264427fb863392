/** Median, min and max of repeated measurements: the one summary every table row uses. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // An even count takes the mean of the two middle values, so no run is favoured.
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** `median (min–max)` with a unit formatter, e.g. `1.23 s (1.10–1.40)`. */
export function formatSummary(summary: Summary, format: (value: number) => string): string {
  if (summary.min === summary.max) return format(summary.median);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number): string => `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
export const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 2 : 0)} MiB`;
export const kibibytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
export const integer = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
export const ratio = (value: number): string => `${value.toFixed(2)}×`;
