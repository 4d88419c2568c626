/**
 * TreeSHAP over the pool's lanes (src/engine/parallel.ts): the rows are cut into one contiguous
 * share per lane and each share runs ensembleShap on its own. A row's values depend only on its
 * own split decisions and the trees, so the shares laid back end to end are the same bytes as
 * one pass over every row (test).
 */
import { inProcessPool, type TaskPool, type TaskSpec } from '../engine/parallel.ts';
import { ensembleShap, type ShapTree } from './tree-shap.ts';

/** One share of rows to explain. */
export interface TreeShapInput {
  /** The ensemble's trees (typed arrays cross a worker boundary as they are). */
  trees: ShapTree[];
  /** The share's rows, row-major. */
  x: Float64Array;
  /** Rows in the share. */
  n: number;
  /** Values per row. */
  features: number;
}

/** The pool task that explains one share of rows. */
export const treeShapTask: TaskSpec<TreeShapInput, { values: Float64Array; expected: number }, never> = {
  name: 'tree.shap',
  run: async (input) => ensembleShap(input.trees, input.x, input.n, input.features),
  isOutput: (v): v is { values: Float64Array; expected: number } => typeof v === 'object' && v !== null && 'values' in v && v.values instanceof Float64Array && 'expected' in v && typeof v.expected === 'number',
  isReport: (v): v is never => false,
};

/** Shapley values of n rows under an additive tree ensemble, the rows spread over the pool's lanes. */
export async function pooledEnsembleShap(trees: readonly ShapTree[], x: Float64Array, n: number, features: number, pool: TaskPool = inProcessPool, signal: AbortSignal = new AbortController().signal): Promise<{ values: Float64Array; expected: number }> {
  // Shares of at least 500 rows: below that the tables (built per share) cost more than the rows.
  const shares = Math.max(1, Math.min(pool.lanes, Math.floor(n / 500)));
  if (shares === 1) return ensembleShap(trees, x, n, features);
  const bounds = Array.from({ length: shares + 1 }, (_, s) => Math.round((s * n) / shares));
  const plain = trees.map((t) => ({ feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold), missingLeft: Uint8Array.from(t.missingLeft), left: Int32Array.from(t.left), right: Int32Array.from(t.right), value: Float64Array.from(t.value), cover: Float64Array.from(t.cover) }));
  const inputs: TreeShapInput[] = [];
  for (let s = 0; s < shares; s++) {
    const from = bounds[s] ?? 0;
    const to = bounds[s + 1] ?? n;
    inputs.push({ trees: plain, x: x.slice(from * features, to * features), n: to - from, features });
  }
  const parts = await pool.map(treeShapTask, inputs, { signal });
  const values = new Float64Array(n * features);
  parts.forEach((p, s) => values.set(p.values, (bounds[s] ?? 0) * features));
  return { values, expected: parts[0]?.expected ?? 0 };
}
