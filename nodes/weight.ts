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
  zh: {
    label: '加权评分',
    description: '以权重合成各特征，得到每位客户的综合得分。',
    params: {
      method: { label: '权重来源', help: 'typed：使用你填写的权重，并按比例缩放使其绝对值之和为 1；entropy：熵权法，根据各列的变异程度确定权重。' },
      weights: { label: '各列权重', help: '“越低越好”的列填负数（例如 recency_days: -0.3）。' },
      columns: { label: '列', help: '熵权法计算权重所用的列。' },
      lowerIsBetter: { label: '越低越好', help: '这些列的熵权按负向计入。' },
    },
    messages: {
      notNumeric: '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
      noWeights: '参数 "weights" 没有给任何列非零权重；请至少给一列设置权重（例如 0.4），“越低越好”的列可设为负数。',
      noColumns: '参数 "columns" 没有指定任何列；熵权法至少需要一个数值列。',
      negativeForEntropy: '列 {column} 含有负值（如 {example}）；熵权法要求各列非负，例如先经过 min-max 归一化。',
      notNormalised: '列 {column} 的取值范围是 [{min}, {max}]，而不是 [0, 1]；请对经过 min-max 归一化的列加权，使各列可比。',
      incompleteRows: '{count} 行在某个加权列中有缺失值或非有限值；它们的得分和排名为缺失。',
      equalWeights: '熵权法无法区分各列（{reason}）；每列获得相同的权重。',
      zeroColumns: '列 {columns} 在每一行都为 0；熵权法给它们的权重为 0。',
      noScoredRows: '没有一行在所有加权列中都有值；没有行得到评分。',
      replacedColumns: '输入中已有列 {columns}；它们已被本节点的输出替换。',
    },
  },
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
