/**
 * Explain: why a model scores each customer as it does. For a classify model: exact TreeSHAP
 * (trees) or coefficient × (x − mean) (logistic) per column, in log-odds (src/ml/tabular-explain.ts).
 * For the LSTM, per customer, integrated gradients
 * over every (period × feature) cell from a stated baseline (src/ml/lstm/attribution.ts), with
 * the completeness check Σ attributions = f(x) − f(baseline) reported; each customer's top
 * reasons in words (src/ml/explain-reasons.ts); and global importance by permutation (drop in
 * AUC over seeded repeats) per feature and per period: out of fold when the model carries its
 * fold models and the labelled customers are the ones it cross-validated (each scored by the
 * fold model that never saw them), in-sample otherwise; the detail says which.
 */
import type { ColumnTable } from 'arquero';
import { cellKey, idLikeColumn, idTexts } from '../src/data/cells.ts';
import { columnValues } from '../src/data/columns.ts';
import type { ExplanationsValue } from '../src/engine/ports.ts';
import { explanationTables, tabularReasons } from '../src/ml/explain-reasons.ts';
import { explainTabular, tabularPermutationImportance } from '../src/ml/tabular-explain.ts';
import { isTabularModel, type TabularModel } from '../src/ml/tabular-model.ts';
import { defineNode, error, integer, oneOf, optional, requireColumns, warning, type JsonObject, type NodeContext, type ParamValues } from './define.ts';

/** Completeness gaps above this share of |f(x) − f(baseline)| are computed again at more points, then reported. */
export const COMPLETENESS_TOLERANCE = 0.01;

/** Most quadrature points a customer's attributions are raised to. */
export const MAX_POINTS = 256;

const params = {
  baseline: oneOf(['mean', 'zeros'], 'mean', { label: 'Baseline', help: 'mean: the average labelled customer’s scaled sequence; zeros: every scaled value 0.' }),
  steps: integer(32, { min: 1, max: 256, label: 'Integration steps', help: 'Gauss–Legendre points on the path from the baseline to the customer; a customer whose attributions miss f(x) − f(baseline) by more than 1% is computed again at twice the points, up to 256.' }),
  recent: integer(4, { min: 1, max: 520, label: 'Recent window', help: 'Reasons compare the last this many periods with the ones before.', unit: 'periods' }),
  top: integer(3, { min: 1, max: 10, label: 'Reasons per customer' }),
  repeats: integer(3, { min: 0, max: 50, label: 'Permutation repeats', help: 'Shuffles per feature and per period for global importance; 0 skips it.' }),
};

/** The explain node's param values. */
export type ExplainParams = ParamValues<typeof params>;

/** The explain node. */
export const explain = defineNode({
  kind: 'explain',
  version: 1,
  label: 'Explain',
  category: 'evaluate',
  parallel: true,
  tensors: true,
  description: 'Why each customer got their score: integrated gradients (LSTM) or TreeSHAP and linear attributions (Classify), top reasons in words, and permutation importance.',
  inputs: {
    sequences: optional('sequences', 'Sequences (for an LSTM model)'),
    table: optional('table', 'Customer table (for a classify model)'),
    model: 'model',
    labelled: optional('sequences', 'Labelled sequences for global importance (the LSTM’s training sequences: out of fold); default: the sequences explained'),
  },
  outputs: { explanations: 'explanations' },
  params,

  messages: {
    unsupportedModel: error('The model input is a {kind} model; Explain takes the model output of an LSTM or a Classify node.'),
    needSequences: error('An LSTM model is explained on its sequences: connect the sequences input.'),
    needTable: error('A classify model is explained on the customer table it scores: connect the table input.'),
    shapeMismatch: error('The model was trained on {modelSteps} periods × {modelFeatures} features; the sequences have {steps} × {features}.'),
    noCustomers: warning('There are no customers to explain.'),
    completeness: warning('Even at {steps} steps, {count} customers’ attributions miss f(x) − f(baseline) by more than 1% (worst {worst}%).'),
    noImportance: warning('Global importance needs labelled customers of both classes; it is left empty.'),
  },
  zh: {
    label: '解释',
    description: '每位客户为何得到该得分：积分梯度（LSTM）或 TreeSHAP 与线性归因（分类），文字形式的主要原因，以及置换重要性。',
    params: {
      baseline: { label: '基线', help: 'mean：有标签客户缩放后序列的平均值；zeros：缩放后的每个值都为 0。' },
      steps: { label: '积分步数', help: '从基线到该客户的路径上的 Gauss–Legendre 求积点数；归因之和与 f(x) − f(基线) 相差超过 1% 的客户会以两倍的点数重新计算，最多 256 个点。' },
      recent: { label: '近期窗口', help: '原因比较最近这么多个时间段与之前的时间段。', unit: '个时间段' },
      top: { label: '每位客户的原因数' },
      repeats: { label: '置换重复次数', help: '为全局重要性对每个特征和每个时间段打乱的次数；0 表示不计算。' },
    },
    messages: {
      unsupportedModel: '输入的模型是 {kind} 模型；“解释”接受 LSTM 或“分类”节点输出的模型。',
      needSequences: 'LSTM 模型要在其序列上解释：请连接 sequences 输入。',
      needTable: '分类模型要在它打分的客户表上解释：请连接 table 输入。',
      shapeMismatch: '模型训练时使用 {modelSteps} 个时间段 × {modelFeatures} 个特征；序列为 {steps} × {features}。',
      noCustomers: '没有可解释的客户。',
      completeness: '即使在 {steps} 步时，仍有 {count} 位客户的归因之和与 f(x) − f(基线) 相差超过 1%（最大 {worst}%）。',
      noImportance: '全局重要性需要两类都有的有标签客户；此项留空。',
    },
  },
  async run(inputs, params, ctx) {
    const { sequences, table, model } = inputs;
    if (model.kind === 'classify') {
      if (!isTabularModel(model.artifacts)) return ctx.fail('unsupportedModel', { kind: model.kind }, 'model');
      if (!table) return ctx.fail('needTable', {}, 'table');
      return { explanations: await explainTable(model.artifacts, model.metadata, table, params, ctx) };
    }
    return (await import('./work/explain-lstm.ts')).explainLstm(inputs, params, ctx);
  },
  summary: (out) => `${out.explanations.customers.numRows().toLocaleString('en')} customers explained`,
});

/** Each customer's completeness gap relative to |output − baseline|, how many exceed the tolerance and the worst. */
export function relativeGaps(gap: ArrayLike<number>, output: ArrayLike<number>, baseline: (i: number) => number): { relative: number[]; missed: number; worst: number } {
  let missed = 0;
  let worst = 0;
  const relative = Array.from(gap, (g, i) => {
    const delta = Math.abs((output[i] ?? 0) - baseline(i));
    const r = delta > 1e-6 ? g / delta : 0;
    if (r > COMPLETENESS_TOLERANCE) missed++;
    worst = Math.max(worst, r);
    return r;
  });
  return { relative, missed, worst };
}

/** Explanations of a classify model on its customer table: TreeSHAP or linear attributions per column. */
async function explainTable(model: TabularModel, metadata: JsonObject, table: ColumnTable, p: ParamValues<typeof params>, ctx: NodeContext): Promise<ExplanationsValue> {
  const names = model.encoding.columns.map((c) => c.name);
  requireColumns(table, names, 'table');
  const n = table.numRows();
  if (n === 0) ctx.warn('noCustomers');
  const inputs = names.map((name) => ({ name, values: columnValues(table, name) }));
  const ex = explainTabular(model, inputs, n);
  ctx.progress(0.5, model.learner === 'gbdt' ? 'TreeSHAP' : 'linear attributions');
  const D = names.length;
  const gapAbs = Array.from({ length: n }, (_, i) => {
    let sum = 0;
    for (let d = 0; d < D; d++) sum += ex.values[i * D + d] ?? 0;
    return Math.abs(sum - ((ex.output[i] ?? 0) - ex.expected));
  });
  const gap = relativeGaps(gapAbs, ex.output, () => ex.expected);
  const own = model.folds?.idColumn ?? '';
  const idName = own !== '' && table.columnNames().includes(own) ? own : idLikeColumn(table.columnNames());
  const ids = idName === '' ? Array.from({ length: n }, (_, i) => String(i + 1)) : idTexts(table, idName);
  const score = Array.from(ex.output, (z) => 1 / (1 + Math.exp(-z)));
  // Labels from the model's own label column and positive value, when the table has them.
  const labelColumn = typeof metadata.label === 'string' && table.columnNames().includes(metadata.label) ? metadata.label : '';
  const positive = typeof metadata.positive === 'string' ? metadata.positive : '';
  const importance: { kind: string; name: string; drop: number; sd: number }[] = [];
  let baseAuc: number | null = null;
  let measured = 'none';
  if (p.repeats > 0 && labelColumn !== '') {
    const cells = columnValues(table, labelColumn);
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => cellKey(cells[i]) !== '');
    const labels = rows.map((i) => (cellKey(cells[i]) === positive ? 1 : 0));
    if (labels.includes(0) && labels.includes(1)) {
      const result = await tabularPermutationImportance(model, inputs, rows, labels, ids, { repeats: p.repeats, seed: ctx.random.uint32(), signal: ctx.signal, onProgress: (f) => ctx.progress(0.5 + 0.5 * f, 'permutation importance') });
      baseAuc = result.baseAuc;
      measured = result.outOfFold ? `permutation on ${result.rows} labelled customers, each scored by the fold model that held it out (out of fold)` : 'permutation on the labelled customers, scored by the explained (final) model: in-sample';
      result.groups.forEach((g) => importance.push({ kind: 'feature', name: g.name, drop: g.drop, sd: g.sd }));
    } else ctx.warn('noImportance');
  } else if (p.repeats > 0) ctx.warn('noImportance');
  const reasons = tabularReasons({ columns: names, values: ex.values, cells: inputs.map((c) => c.values), n, top: p.top });
  const tables = explanationTables({ ids, score, output: ex.output, baselineOutput: ex.expected, gap: gap.relative, reasons, top: p.top, importance });
  return {
    ...tables,
    cells: { steps: 1, features: D, featureNames: names, stepLabels: ['all'], values: Float32Array.from(ex.values) },
    detail: {
      method: model.learner === 'gbdt' ? 'TreeSHAP (path-dependent, exact)' : 'coefficient × (x − mean), standardised',
      unit: 'log-odds',
      expectedLogOdds: ex.expected,
      worstCompletenessGap: gap.worst,
      importance: measured,
      baseAuc,
      repeats: p.repeats,
    },
  };
}
