/**
 * Quantiles by linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of R, NumPy and scikit-learn's RobustScaler): q(p) = x[h] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]),
 * h = (n − 1)p over the sorted values.
 */

/** The p-quantile of ascending values; NaN when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/** The non-NaN values of an array, sorted ascending. */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) out[k++] = v;
  }
  return out.sort();
}
