/**
 * Weight: the weighted feature score f_i = Σ_j w_j x'_ij over normalised feature columns.
 * Weights are typed per column (scaled so that Σ|w_j| = 1; a negative weight means "lower is
 * better", e.g. recency) or derived by the entropy-weight method. Outputs the table with
 * `score`, `rank` (1 = best) and one `contrib_<column>` per feature (w_j x'_ij, summing to the
 * score), and the weights as a transform. Formulas: src/data/weight.ts.
 */
import { columnValues, makeTable, numberColumn, type ColumnArray } from '../src/data/columns.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { completeRows, entropyColumnWeights, outsideUnitRange, readFeatureColumns, scaleWeights, weightedScores, weightMessages, weightMethods } from '../src/data/weight.ts';
import { columns, defineNode, oneOf, requireColumns, warning, weights, type JsonObject } from './define.ts';

const messages = {
  ...weightMessages,
  replacedColumns: warning('The input already has columns {columns}; they were replaced by this node’s output.'),
};

/** The weight node. */
export const weight = defineNode({
  kind: 'weight',
  version: 1,
  label: 'Weighted score',
  category: 'features',
  description: 'Scores each row by Σ w_j x′_j with typed or entropy-derived weights; adds score, rank and per-feature contributions.',
  inputs: { table: 'table' },
  outputs: { table: 'table', transform: 'transform' },
  params: {
    method: oneOf(weightMethods, 'typed', { label: 'Weights', help: 'typed: your weights, scaled so their absolute values sum to 1; entropy: derived from how much each column varies.' }),
    weights: weights({}, { label: 'Weight per column', help: 'Negative for "lower is better" (e.g. recency_days: -0.3).', showIf: { method: ['typed'] } }),
    columns: columns([], { numeric: true, label: 'Columns', help: 'Columns the entropy-weight method weighs.', showIf: { method: ['entropy'] } }),
    lowerIsBetter: columns([], { numeric: true, label: 'Lower is better', help: 'Their entropy weight counts negatively.', showIf: { method: ['entropy'] } }),
  },
  messages,
  async run({ table }, params, ctx) {
    return declaredErrors(ctx, messages, () => {
      const rows = table.numRows();
      let names: string[];
      let w: number[];
      let detail: JsonObject = {};
      if (params.method === 'typed') {
        names = Object.keys(params.weights);
        requireColumns(table, names, 'weights');
      } else {
        names = [...params.columns];
        requireColumns(table, names, 'columns');
        requireColumns(table, params.lowerIsBetter, 'lowerIsBetter');
      }
      const x = readFeatureColumns(names.map((name) => ({ name, values: columnValues(table, name) })), params.method === 'typed' ? 'weights' : 'columns');
      if (params.method === 'entropy') {
        const result = entropyColumnWeights(names, x, completeRows(x, rows), new Set(params.lowerIsBetter));
        emitNotes(ctx, result.notes);
        w = result.weights;
        detail = { entropy: Object.fromEntries(names.map((n, j) => [n, result.entropy[j] ?? 1])), divergence: Object.fromEntries(names.map((n, j) => [n, result.divergence[j] ?? 0])) };
      } else {
        w = scaleWeights(names.map((n) => params.weights[n] ?? 0));
      }
      for (const range of outsideUnitRange(names, x)) ctx.warn('notNormalised', { column: range.column, min: range.min, max: range.max });
      const scored = weightedScores(x, w, rows);
      if (scored.incomplete > 0 && scored.incomplete < rows) ctx.warn('incompleteRows', { count: scored.incomplete });
      if (rows > 0 && scored.incomplete === rows) ctx.warn('noScoredRows');
      const contribNames = names.map((n) => `contrib_${n}`);
      const newNames = ['score', 'rank', ...contribNames];
      const existing = table.columnNames();
      const clashes = newNames.filter((n) => existing.includes(n));
      if (clashes.length > 0) ctx.warn('replacedColumns', { columns: clashes.join(', ') });
      const kept = existing.filter((n) => !newNames.includes(n));
      const outColumns: ColumnArray[] = [...kept.map((n) => columnValues(table, n)), numberColumn(scored.score), numberColumn(scored.rank), ...scored.contributions.map((c) => numberColumn(c))];
      const out = makeTable([...kept, ...newNames], outColumns);
      const weightsJson: JsonObject = Object.fromEntries(names.map((n, j) => [n, w[j] ?? 0]));
      return {
        table: out,
        transform: {
          kind: 'weight',
          label: `${params.method} weights on ${names.length} column${names.length === 1 ? '' : 's'}`,
          params: { method: params.method, weights: weightsJson, ...detail },
        },
      };
    });
  },
  summary: (out) => `${out.table.numRows().toLocaleString('en')} scored · ${out.transform.label}`,
});
