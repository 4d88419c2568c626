/**
 * Per-row attributions of a tabular model (src/ml/tabular-model.ts), per input column, in
 * log-odds: exact path-dependent TreeSHAP for gradient-boosted trees (src/ml/tree-shap.ts, the
 * trees' training row counts as cover), and for logistic regression coef_j · (x_j − mean_j)/sd_j
 * summed over the one-hot and missing-indicator features of each column. Either way a row's
 * attributions add up to its log-odds minus the expected log-odds (the trees' cover-weighted
 * expectation; the logistic model's value at the training means).
 */
import { encodeForLinear, encodeForTrees, linearFeatureNames, type TabularInput } from './tabular.ts';
import type { TabularModel } from './tabular-model.ts';
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
