/** Row subsets of a sequence set. */
import type { SequenceSet } from './types.ts';

/** The rows of `data` listed in `rows`, copied. */
export function subsetSequences(data: SequenceSet, rows: ArrayLike<number>): SequenceSet {
  const per = data.steps * data.features;
  const x = new Float32Array(rows.length * per);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? 0;
    x.set(data.x.subarray(r * per, (r + 1) * per), i * per);
    labels[i] = data.labels[r] ?? 0;
  }
  return { x, n: rows.length, steps: data.steps, features: data.features, labels };
}
