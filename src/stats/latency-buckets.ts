/**
 * Latency histogram of the statistics: `stats_daily.latency_buckets[i]` counts the calls faster
 * than `LATENCY_BUCKET_BOUNDS_MS[i]`, cumulatively, and its last cell counts every call. Cumulative
 * counts sum across rows and days, and a percentile bound reads straight off them.
 */
export const LATENCY_BUCKET_BOUNDS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000] as const;

/**
 * The smallest bound under which at least `fraction` of the calls fall (`null`: beyond the last bound,
 * or no call).
 *
 * @example
 * percentileBound([10, 40, 90, 99, 100, 100, 100, 100], 0.95) // → 500
 */
export function percentileBound(cumulative: readonly number[], fraction: number): number | null {
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (total === 0) return null;
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((_, i) => (cumulative[i] ?? 0) >= fraction * total);
  return index === -1 ? null : LATENCY_BUCKET_BOUNDS_MS[index] ?? null;
}

/** Adds cumulative histograms cell by cell. */
export function addBuckets(into: number[], more: readonly number[]): number[] {
  for (let i = 0; i < more.length; i++) into[i] = (into[i] ?? 0) + (more[i] ?? 0);
  return into;
}
