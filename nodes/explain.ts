/**
 * Explain: why the LSTM scores each customer as it does. Per customer, integrated gradients
 * over every (period × feature) cell from a stated baseline (src/ml/lstm/attribution.ts), with
 * the completeness check Σ attributions = f(x) − f(baseline) reported; each customer's top
 * reasons in words (src/ml/explain-reasons.ts); and global importance by permutation (drop in
 * AUC over seeded repeats) per feature and per period, on the labelled customers scored by the
 * model that is explained (the final model: in-sample, which the detail says).
 */
import * as aq from 'arquero';
import { applyScaler } from '../src/data/sequences.ts';
import { lstmArtifacts } from '../src/ml/lstm/artifacts.ts';
import { integratedGradients, meanSequence } from '../src/ml/lstm/attribution.ts';
import { predictLstm } from '../src/ml/lstm/predict.ts';
import { topReasons } from '../src/ml/explain-reasons.ts';
import { permutationImportance, sequenceGroups } from '../src/ml/permutation-importance.ts';
import { defineNode, error, integer, oneOf, warning } from './define.ts';

/** Completeness gaps above this share of |f(x) − f(baseline)| are reported. */
const COMPLETENESS_TOLERANCE = 0.01;

/** The explain node. */
export const explain = defineNode({
  kind: 'explain',
  version: 1,
  label: 'Explain',
  category: 'evaluate',
  description: 'Why each customer got their score: integrated gradients per period and feature, top reasons in words, and permutation importance.',
  inputs: { sequences: 'sequences', model: 'model' },
  outputs: { explanations: 'explanations' },
  params: {
    baseline: oneOf(['mean', 'zeros'], 'mean', { label: 'Baseline', help: 'mean: the average labelled customer’s scaled sequence; zeros: every scaled value 0.' }),
    steps: integer(32, { min: 1, max: 256, label: 'Integration steps', help: 'Gauss–Legendre points on the path from the baseline to the customer.' }),
    recent: integer(4, { min: 1, max: 520, label: 'Recent window', help: 'Reasons compare the last this many periods with the ones before.', unit: 'periods' }),
    top: integer(3, { min: 1, max: 10, label: 'Reasons per customer' }),
    repeats: integer(3, { min: 0, max: 50, label: 'Permutation repeats', help: 'Shuffles per feature and per period for global importance; 0 skips it.' }),
  },
  messages: {
    notLstm: error('The model input is a {kind} model; Explain needs the model output of an LSTM node.'),
    shapeMismatch: error('The model was trained on {modelSteps} periods × {modelFeatures} features; the sequences have {steps} × {features}.'),
    noCustomers: warning('There are no customers to explain.'),
    completeness: warning('At {steps} steps, {count} customers’ attributions miss f(x) − f(baseline) by more than 1% (worst {worst}%); raise "steps".'),
    noImportance: warning('Global importance needs labelled customers of both classes; it is left empty.'),
  },
  zh: {
    label: '解释',
    description: '每位客户为何得到该得分：按时间段与特征的积分梯度、文字形式的主要原因，以及置换重要性。',
    params: {
      baseline: { label: '基线', help: 'mean：有标签客户缩放后序列的平均值；zeros：缩放后的每个值都为 0。' },
      steps: { label: '积分步数', help: '从基线到该客户的路径上的 Gauss–Legendre 求积点数。' },
      recent: { label: '近期窗口', help: '原因比较最近这么多个时间段与之前的时间段。', unit: '个时间段' },
      top: { label: '每位客户的原因数' },
      repeats: { label: '置换重复次数', help: '为全局重要性对每个特征和每个时间段打乱的次数；0 表示不计算。' },
    },
    messages: {
      notLstm: '输入的模型是 {kind} 模型；“解释”需要 LSTM 节点输出的模型。',
      shapeMismatch: '模型训练时使用 {modelSteps} 个时间段 × {modelFeatures} 个特征；序列为 {steps} × {features}。',
      noCustomers: '没有可解释的客户。',
      completeness: '在 {steps} 步时，有 {count} 位客户的归因之和与 f(x) − f(baseline) 相差超过 1%（最大 {worst}%）；请调高 "steps"。',
      noImportance: '全局重要性需要两类都有的有标签客户；此项留空。',
    },
  },
  async run({ sequences: s, model }, params, ctx) {
    const a = lstmArtifacts(model);
    if (!a) return ctx.fail('notLstm', { kind: model.kind }, 'model');
    if (a.weights.features !== s.features || a.steps !== s.steps) ctx.fail('shapeMismatch', { modelSteps: a.steps, modelFeatures: a.weights.features, steps: s.steps, features: s.features }, 'model');
    const { n, steps: T, features: D } = s;
    if (n === 0) ctx.warn('noCustomers');
    const x = applyScaler(a.scaler, s.x, n, T, D);
    const labelled = Array.from({ length: n }, (_, i) => i).filter((i) => (s.labels[i] ?? NaN) === 0 || (s.labels[i] ?? NaN) === 1);
    const cell = T * D;
    const pick = (rows: readonly number[]): Float32Array => {
      const out = new Float32Array(rows.length * cell);
      rows.forEach((r, i) => out.set(x.subarray(r * cell, (r + 1) * cell), i * cell));
      return out;
    };
    const baselineRows = labelled.length > 0 ? labelled : Array.from({ length: n }, (_, i) => i);
    const baseline = params.baseline === 'mean' ? meanSequence(pick(baselineRows), baselineRows.length, T, D) : new Float32Array(cell);
    const ig = await integratedGradients(a.weights, x, n, T, D, { steps: params.steps, baseline, signal: ctx.signal, onProgress: (f) => ctx.progress(0.7 * f, 'integrated gradients') });
    let missed = 0;
    let worst = 0;
    const relative = Array.from(ig.gap, (g, i) => {
      const delta = Math.abs((ig.scores[i] ?? 0) - ig.baselineScore);
      const r = delta > 1e-6 ? g / delta : 0;
      if (r > COMPLETENESS_TOLERANCE) missed++;
      worst = Math.max(worst, r);
      return r;
    });
    if (missed > 0) ctx.warn('completeness', { steps: params.steps, count: missed, worst: Number((100 * worst).toFixed(2)) });

    const labels = labelled.map((i) => s.labels[i] ?? 0);
    const bothClasses = labels.includes(0) && labels.includes(1);
    const importanceRows: { kind: string; name: string; drop: number; sd: number }[] = [];
    let baseAuc: number | null = null;
    if (params.repeats > 0 && bothClasses) {
      const { byFeature, byStep } = sequenceGroups(T, D, s.featureNames, (t) => s.stepLabels[t] ?? `period ${t + 1}`);
      const result = await permutationImportance(pick(labelled), labelled.length, cell, labels, [...byFeature, ...byStep], (xs, m) => predictLstm(a.weights, xs, m, T, D), {
        repeats: params.repeats,
        random: ctx.random,
        signal: ctx.signal,
        onProgress: (f) => ctx.progress(0.7 + 0.3 * f, 'permutation importance'),
      });
      baseAuc = result.baseAuc;
      result.groups.forEach((g, i) => importanceRows.push({ kind: i < D ? 'feature' : 'period', name: g.name, drop: g.drop, sd: g.sd }));
    } else if (params.repeats > 0) ctx.warn('noImportance');

    const reasons = topReasons({ x: s.x, attributions: ig.attributions, n, steps: T, features: D, featureNames: s.featureNames, period: String(s.meta.period ?? 'period'), recent: params.recent, top: params.top });
    const customers: Record<string, unknown[]> = { id: s.ids.slice(0, n), score: Array.from(ig.scores), baseline_score: ig.scores.length > 0 ? Array.from(ig.scores, () => ig.baselineScore) : [], completeness_gap: relative };
    for (let r = 0; r < params.top; r++) {
      customers[`reason_${r + 1}`] = reasons.map((list) => list[r]?.en ?? null);
      customers[`reason_${r + 1}_zh`] = reasons.map((list) => list[r]?.zh ?? null);
    }
    const long = reasons.flatMap((list, i) => list.map((reason, rank) => ({ id: s.ids[i] ?? '', rank: rank + 1, feature: reason.feature, window: reason.window, attribution: reason.attribution, reason: reason.en, reason_zh: reason.zh })));
    const columnsOf = <R extends Record<string, unknown>>(rows: R[], names: readonly (keyof R & string)[]): Record<string, unknown[]> => Object.fromEntries(names.map((name) => [name, rows.map((row) => row[name])]));
    return {
      explanations: {
        customers: aq.table(customers),
        reasons: aq.table(columnsOf(long, ['id', 'rank', 'feature', 'window', 'attribution', 'reason', 'reason_zh'])),
        importance: aq.table(columnsOf(importanceRows, ['kind', 'name', 'drop', 'sd'])),
        cells: { steps: T, features: D, featureNames: s.featureNames.slice(), stepLabels: s.stepLabels.slice(), values: ig.attributions },
        detail: {
          method: 'integrated gradients',
          baseline: params.baseline,
          steps: params.steps,
          baselineScore: ig.baselineScore,
          worstCompletenessGap: worst,
          customersOverTolerance: missed,
          importance: baseAuc === null ? 'none' : 'permutation on the labelled customers, scored by the explained (final) model: in-sample',
          baseAuc,
          repeats: params.repeats,
        },
      },
    };
  },
  summary: (out) => `${out.explanations.customers.numRows().toLocaleString('en')} customers explained`,
});
