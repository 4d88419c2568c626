/**
 * Per-row attributions of a tabular model (src/ml/tabular-model.ts), per input column, in
 * log-odds: exact path-dependent TreeSHAP for gradient-boosted trees (src/ml/tree-shap.ts, the
 * trees' training row counts as cover), and for logistic regression coef_j · (x_j − mean_j)/sd_j
 * summed over the one-hot and missing-indicator features of each column. Either way a row's
 * attributions add up to its log-odds minus the expected log-odds (the trees' cover-weighted
 * expectation; the logistic model's value at the training means).
 */
import { encodeForLinear, encodeForTrees, linearFeatureNames, type TabularInput } from './tabular.ts';
import { heldOutFolds, outOfFoldImportance, type FoldScorer, type OutOfFoldOptions, type PermutationImportance } from './permutation-importance.ts';
import { predictTabular, type TabularModel } from './tabular-model.ts';
import { ensembleShap, treeOutput, type ShapTree } from './tree-shap.ts';

/** Attributions of n rows over the model's input columns. */
export interface TabularAttributions {
  /** Input column names, in the model's encoding order. */
  columns: string[];
  /** Attribution per row and column [n × columns], in log-odds. */
  values: Float64Array;
  /** Each row's log-odds. */
  output: Float64Array;
  /** The expected log-odds the attributions start from. */
  expected: number;
}

/** Attributions of every row of `inputs` (n rows) under a fitted tabular model. */
export function explainTabular(model: TabularModel, inputs: readonly TabularInput[], n: number): TabularAttributions {
  const columns = model.encoding.columns.map((c) => c.name);
  const D = columns.length;
  if (model.learner === 'gbdt') {
    const encoded = encodeForTrees(model.encoding, inputs, n).columns;
    const x = new Float64Array(n * D);
    for (let d = 0; d < D; d++) {
      const col = encoded[d];
      if (col) for (let i = 0; i < n; i++) x[i * D + d] = col[i] ?? Number.NaN;
    }
    const trees: ShapTree[] = model.gbdt.trees.map((t) => ({ feature: t.feature, threshold: t.threshold, missingLeft: t.missingLeft, left: t.left, right: t.right, value: t.value, cover: t.count }));
    const { values, expected } = ensembleShap(trees, x, n, D);
    const output = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let raw = model.gbdt.baseline;
      const row = x.subarray(i * D, (i + 1) * D);
      for (const t of trees) raw += treeOutput(t, row);
      output[i] = raw;
    }
    return { columns, values, output, expected: model.gbdt.baseline + expected };
  }
  const m = model.logistic;
  const linear = encodeForLinear(model.encoding, inputs, n);
  const { source } = linearFeatureNames(model.encoding);
  const columnOf = source.map((s) => columns.indexOf(s));
  const values = new Float64Array(n * D);
  const output = new Float64Array(n).fill(m.intercept);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < linear.d; j++) {
      const a = ((m.coef[j] ?? 0) * ((linear.values[i * linear.d + j] ?? 0) - (m.mean[j] ?? 0))) / (m.scale[j] ?? 1);
      const c = columnOf[j] ?? -1;
      if (c >= 0) values[i * D + c] = (values[i * D + c] ?? 0) + a;
      output[i] = (output[i] ?? 0) + a;
    }
  }
  return { columns, values, output, expected: m.intercept };
}

/** Permutation importance of a tabular model's input columns, and how it was measured. */
export interface TabularPermutation extends PermutationImportance {
  /** True when each row was scored by the fold model that held it out. */
  outOfFold: boolean;
  /** Rows the AUC was measured on. */
  rows: number;
}

/**
 * Permutation importance of each input column of `model` (drop in AUC): out of fold when the
 * model carries its cross-validation's fold models and rows' ids are among theirs (each row
 * scored by the model that never saw it, columns shuffled within each fold), otherwise on the
 * rows as the model itself scores them (in-sample). `rows` are the labelled table rows,
 * `labels` their 0/1 labels, `ids` every table row's id.
 */
export async function tabularPermutationImportance(model: TabularModel, inputs: readonly TabularInput[], rows: readonly number[], labels: readonly number[], ids: readonly string[], options: OutOfFoldOptions & { signal?: AbortSignal; onProgress?: (fraction: number) => void }): Promise<TabularPermutation> {
  const foldOf = heldOutFolds(model.folds, rows, (r) => ids[r] ?? '');
  const models = model.folds?.models ?? [];
  const outOfFold = foldOf.some((k) => k >= 0 && models[k] !== undefined);
  const fold = outOfFold ? foldOf.map((k) => (models[k] === undefined ? -1 : k)) : rows.map(() => 0);
  const score: FoldScorer = async (jobs) => {
    const total = jobs.reduce((s, j) => s + j.shuffles.length + 1, 0);
    let done = 0;
    return jobs.map((job) => {
      const scorer = outOfFold ? (models[job.fold] ?? model) : model;
      const own = job.rows;
      const predict = (group: number | null, from: readonly number[] | null): Float64Array => {
        if (options.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
        const cols = inputs.map((c, d) => ({ name: c.name, values: own.map((i, j) => c.values[rows[d === group && from ? (from[j] ?? i) : i] ?? 0]) }));
        const p = predictTabular(scorer, cols, own.length);
        options.onProgress?.(++done / total);
        return p;
      };
      return [predict(null, null), ...job.shuffles.map((s) => predict(s.group, s.from))];
    });
  };
  const result = await outOfFoldImportance(labels, fold, inputs.map((c) => c.name), score, options);
  return { ...result, outOfFold };
}
