/**
 * Evaluate: every headline metric of a binary classifier on out-of-fold predictions, the
 * confusion matrix at a chosen threshold, ROC and PR curve points, calibration bins, per-fold
 * figures with mean ± std, and — in the same output — the same metrics for an L2 logistic
 * regression on the static features (or on the sequence totals when there are none), fitted
 * with the same fold assignment, so a person sees what the sequence adds.
 *
 * Rows evaluated: predictions with a 0/1 label and fold ≥ 0 (fold −1 marks rows that no
 * held-out model scored: unlabelled customers and the training side of a hold-out).
 * The metrics come from src/ml/metrics.ts, whose definitions match scikit-learn's.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { sequenceTotals } from '../src/data/sequences.ts';
import { fitLogistic, predictLogistic } from '../src/ml/logistic.ts';
import { KernelInputError } from '../src/ml/matrix.ts';
import { binaryMetrics, maxF1Threshold, summariseFolds, FOLD_METRICS, type BinaryMetrics, type FoldMetric } from '../src/ml/metrics.ts';
import { column, columns, defineNode, error, integer, number, oneOf, optional, requireColumns, warning, type JsonObject, type MetricsValue, type NodeContext, type ParamValues, type Sequences } from './define.ts';
import { idKey, numericCell } from './sequence.ts';

/** Snake-case names of the headline metrics, as they appear in summaries and tables. */
export const METRIC_NAMES: Record<FoldMetric, string> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  rocAuc: 'roc_auc',
  averagePrecision: 'pr_auc',
  logLoss: 'log_loss',
  brier: 'brier',
};

/** The evaluate node's params; EvaluateParams below picks the baseline's value types. */
const evaluateParams = {
  thresholdRule: oneOf(['fixed', 'max-f1'], 'fixed', { label: 'Threshold', help: 'fixed: predict a purchase when score ≥ the threshold; max-f1: the threshold that maximises F1 on these predictions (optimistic).' }),
  threshold: number(0.5, { label: 'Fixed threshold', min: 0, max: 1, step: 0.05, showIf: { thresholdRule: ['fixed'] } }),
  baseline: oneOf(['auto', 'static', 'totals', 'none'], 'auto', {
    label: 'Baseline',
    help: 'Logistic regression on: auto = the static features (table input, else those appended to the sequences), else the sequence totals; static; totals of each sequence feature; none.',
    group: 'Baseline',
  }),
  featuresIdColumn: column('customer_id', { label: 'Features id', from: 'features', help: 'Id column of the static features table.', group: 'Baseline' }),
  baselineColumns: columns([], { label: 'Baseline columns', numeric: true, from: 'features', help: 'Columns of the features table for the baseline (empty: every numeric column but the id).', group: 'Baseline' }),
  bins: integer(10, { label: 'Calibration bins', min: 2, max: 50 }),
};

/** The evaluate node. */
export const evaluate = defineNode({
  kind: 'evaluate',
  version: 1,
  label: 'Evaluate',
  description: 'Accuracy, precision, recall, F1, ROC/PR AUC, log loss and Brier per fold and overall, beside a logistic baseline on the static features.',
  category: 'evaluate',
  inputs: {
    predictions: 'predictions',
    sequences: optional('sequences', 'Sequences (baseline features)'),
    features: optional('table', 'Static features (baseline)'),
  },
  outputs: { metrics: 'metrics' },
  params: evaluateParams,
  messages: {
    noColumns: error('The predictions table needs columns id, score and label; it has {columns}.'),
    noRows: error('No prediction has both a 0/1 label and a fold ≥ 0, so there is nothing to evaluate.'),
    badScore: error('Customer {id} has score {value}; scores must be probabilities between 0 and 1.'),
    badLabel: error('Customer {id} has label {value}; labels must be 0 or 1.'),
    singleClass: error('Every evaluated customer has label {label}: ROC AUC, PR AUC and F1 are undefined with one class.'),
    foldSingleClass: warning('Fold {fold} holds only label {label}; its ROC and PR AUC are undefined and left out of the fold mean.'),
    baselineUnavailable: warning('No baseline: {reason}'),
    baselineMissing: warning('{count} evaluated customers have no row (or a non-numeric value) in the baseline features; the column mean was used.'),
    baselineFailed: warning('The logistic baseline could not be fitted: {reason}'),
  },
  zh: {
    label: '评估',
    description: '计算 AUC、ROC、PR、混淆矩阵与校准曲线。',
    params: {
      thresholdRule: { label: '阈值规则', help: 'fixed：得分 ≥ 阈值时预测为购买；max-f1：取在这些预测上使 F1 最大的阈值（结果偏乐观）。' },
      threshold: { label: '固定阈值' },
      baseline: { label: '基线', help: '以逻辑回归作基线，输入为：auto = 静态特征（来自 features 表输入，否则取附加在序列上的静态特征），都没有时用序列总量；static：静态特征；totals：各序列特征的总量；none：不做基线。' },
      featuresIdColumn: { label: '特征表 ID 列', help: '静态特征表的 ID 列。' },
      baselineColumns: { label: '基线特征列', help: '基线使用的特征表列（留空：除 ID 外的所有数值列）。' },
      bins: { label: '校准分箱数' },
    },
    groups: { Baseline: '基线' },
    messages: {
      noColumns: '预测表需要 id、score 和 label 列；它的列为 {columns}。',
      noRows: '没有任何预测同时具有 0/1 标签和 ≥ 0 的折号，因此没有可评估的内容。',
      badScore: '客户 {id} 的得分为 {value}；得分必须是 0 到 1 之间的概率。',
      badLabel: '客户 {id} 的标签为 {value}；标签必须是 0 或 1。',
      singleClass: '所有参与评估的客户标签都是 {label}：只有一个类别时，ROC AUC、PR AUC 和 F1 没有定义。',
      foldSingleClass: '第 {fold} 折只有标签 {label}；其 ROC AUC 与 PR AUC 没有定义，不计入各折均值。',
      baselineUnavailable: '没有基线：{reason}',
      baselineMissing: '{count} 位参与评估的客户在基线特征中没有对应行（或值不是数值）；已使用该列的均值。',
      baselineFailed: '无法拟合逻辑回归基线：{reason}',
    },
  },
  async run({ predictions, sequences, features }, params, ctx) {
    if (features && params.baseline !== 'totals' && params.baseline !== 'none') {
      requireColumns(features, [params.featuresIdColumn], 'featuresIdColumn');
      if (params.baselineColumns.length > 0) requireColumns(features, params.baselineColumns, 'baselineColumns');
    }
    const names = predictions.columnNames();
    if (!['id', 'score', 'label'].every((c) => names.includes(c))) ctx.fail('noColumns', { columns: names.length === 0 ? 'no columns' : names.join(', ') });
    const ids = Array.from(predictions.array('id'), (v) => idKey(v) ?? '');
    const scoreCells = Array.from(predictions.array('score'));
    const labelCells = Array.from(predictions.array('label'));
    const foldCells: unknown[] = names.includes('fold') ? Array.from(predictions.array('fold')) : labelCells.map(() => 0);

    // Rows evaluated: labelled and scored out of fold.
    const rows: number[] = [];
    const labelled: number[] = [];
    for (let r = 0; r < ids.length; r++) {
      const y = labelCells[r];
      if (y === null || y === undefined || (typeof y === 'number' && Number.isNaN(y))) continue;
      if (y !== 0 && y !== 1) ctx.fail('badLabel', { id: ids[r] ?? String(r), value: String(y) });
      labelled.push(r);
      const f = numericCell(foldCells[r]);
      if (!(f >= 0)) continue;
      const s = scoreCells[r];
      if (typeof s !== 'number' || !(s >= 0 && s <= 1)) ctx.fail('badScore', { id: ids[r] ?? String(r), value: String(s) });
      rows.push(r);
    }
    if (rows.length === 0) ctx.fail('noRows');
    const y = Float64Array.from(rows, (r) => Number(labelCells[r]));
    const score = Float64Array.from(rows, (r) => Number(scoreCells[r]));
    const fold = Int32Array.from(rows, (r) => Math.floor(numericCell(foldCells[r])));
    let positives = 0;
    for (const v of y) positives += v;
    if (positives === 0 || positives === y.length) ctx.fail('singleClass', { label: positives === 0 ? 0 : 1 });

    const rule = params.thresholdRule === 'max-f1' ? 'max-f1' : params.threshold;
    const overall = binaryMetrics(y, score, { threshold: rule });
    const threshold = overall.confusion.threshold;

    // Per-fold metrics, each at the same threshold as the overall figures.
    const foldIds = [...new Set(fold)].sort((a, b) => a - b);
    const perFold: { fold: number; metrics: BinaryMetrics }[] = [];
    for (const f of foldIds) {
      const at = rows.map((_, j) => j).filter((j) => fold[j] === f);
      const yf = Float64Array.from(at, (j) => y[j] ?? 0);
      const sf = Float64Array.from(at, (j) => score[j] ?? 0);
      const m = binaryMetrics(yf, sf, { threshold });
      if (m.singleClass) ctx.warn('foldSingleClass', { fold: f, label: m.positives === 0 ? 0 : 1 });
      perFold.push({ fold: f, metrics: m });
    }
    const foldSummary = summariseFolds(perFold.map((p) => p.metrics));

    // Baseline on the same rows and the same folds.
    const baseline = baselineScores(ids, rows, labelled, labelCells, foldCells, sequences, features, params, ctx);
    let baselineMetrics: BinaryMetrics | null = null;
    if (baseline) {
      const thresholdB = params.thresholdRule === 'max-f1' ? maxF1Threshold(y, baseline.scores).threshold : params.threshold;
      baselineMetrics = binaryMetrics(y, baseline.scores, { threshold: thresholdB });
    }

    const summary: Record<string, number | null> = {
      n: overall.n,
      positives: overall.positives,
      threshold: finite(threshold),
    };
    for (const key of FOLD_METRICS) summary[METRIC_NAMES[key]] = finite(overall[key]);
    summary.folds = perFold.length;
    summary.roc_auc_fold_mean = finite(foldSummary.rocAuc.mean);
    summary.roc_auc_fold_std = finite(foldSummary.rocAuc.std);
    summary.baseline_roc_auc = baselineMetrics ? finite(baselineMetrics.rocAuc) : null;
    summary.baseline_pr_auc = baselineMetrics ? finite(baselineMetrics.averagePrecision) : null;
    summary.roc_auc_lift = baselineMetrics ? finite(overall.rocAuc - baselineMetrics.rocAuc) : null;

    const tables: Record<string, ColumnTable> = {
      roc: curveTable(overall, baselineMetrics),
      pr: prTable(overall, baselineMetrics),
      confusion: confusionTable(overall, baselineMetrics),
      folds: foldsTable(perFold),
      fold_summary: aq.table({
        metric: FOLD_METRICS.map((k) => METRIC_NAMES[k]),
        mean: FOLD_METRICS.map((k) => finite(foldSummary[k].mean)),
        std: FOLD_METRICS.map((k) => finite(foldSummary[k].std)),
        defined: FOLD_METRICS.map((k) => foldSummary[k].defined),
      }),
      calibration: calibrationTable(y, score, params.bins),
      baseline: aq.table({
        metric: FOLD_METRICS.map((k) => METRIC_NAMES[k]),
        model: FOLD_METRICS.map((k) => finite(overall[k])),
        baseline: FOLD_METRICS.map((k) => (baselineMetrics ? finite(baselineMetrics[k]) : null)),
        difference: FOLD_METRICS.map((k) => (baselineMetrics ? finite(overall[k] - baselineMetrics[k]) : null)),
      }),
    };
    const detail: JsonObject = {
      thresholdRule: params.thresholdRule,
      evaluatedRows: rows.length,
      skippedRows: ids.length - rows.length,
      baseline: baseline ? { kind: baseline.kind, features: baseline.features, threshold: baselineMetrics ? finite(baselineMetrics.confusion.threshold) : null } : null,
      rocPoints: 'scikit-learn roc_curve(drop_intermediate=True); the first point has no threshold (+∞ in scikit-learn), shown as null',
    };
    const metrics: MetricsValue = { summary, tables, detail };
    ctx.progress(1);
    return { metrics };
  },
  summary({ metrics }) {
    const auc = metrics.summary.roc_auc;
    const base = metrics.summary.baseline_roc_auc;
    const head = typeof auc === 'number' ? `AUC ${auc.toFixed(3)}` : 'AUC n/a';
    return typeof base === 'number' ? `${head} · baseline ${base.toFixed(3)}` : head;
  },
});

type EvaluateParams = Pick<ParamValues<typeof evaluateParams>, 'baseline' | 'featuresIdColumn' | 'baselineColumns'>;

/**
 * Out-of-fold logistic scores for the evaluated rows: for each fold k, fit on every labelled
 * row whose fold ≠ k (features standardised on those rows only) and score the rows of fold k.
 */
function baselineScores(
  ids: string[],
  rows: number[],
  labelled: number[],
  labelCells: unknown[],
  foldCells: unknown[],
  sequences: Sequences | undefined,
  features: ColumnTable | undefined,
  params: EvaluateParams,
  ctx: NodeContext,
): { scores: Float64Array; kind: string; features: string[] } | null {
  if (params.baseline === 'none') return null;
  const source = baselineMatrix(ids, labelled, sequences, features, params, ctx);
  if (!source) return null;
  const { values, d, names, kind } = source;
  const rowPos = new Map<number, number>();
  labelled.forEach((r, k) => rowPos.set(r, k));
  const foldOf = (r: number): number => Math.floor(numericCell(foldCells[r]));
  const scores = new Float64Array(rows.length);
  const folds = [...new Set(rows.map(foldOf))];
  try {
    for (const f of folds) {
      const train = labelled.filter((r) => foldOf(r) !== f);
      const test = rows.map((r, j) => ({ r, j })).filter(({ r }) => foldOf(r) === f);
      const take = (list: number[]): Float64Array => {
        const out = new Float64Array(list.length * d);
        list.forEach((r, k) => {
          const p = rowPos.get(r) ?? 0;
          for (let c = 0; c < d; c++) out[k * d + c] = values[p * d + c] ?? 0;
        });
        return out;
      };
      const model = fitLogistic({ values: take(train), n: train.length, d }, Float64Array.from(train, (r) => Number(labelCells[r])));
      const p = predictLogistic(model, { values: take(test.map((t) => t.r)), n: test.length, d });
      test.forEach(({ j }, k) => (scores[j] = p[k] ?? 0));
    }
  } catch (err) {
    if (err instanceof KernelInputError) {
      ctx.warn('baselineFailed', { reason: err.message });
      return null;
    }
    throw err;
  }
  return { scores, kind, features: names };
}

/** The baseline's feature matrix over the labelled rows, in the order of `labelled`. */
function baselineMatrix(
  ids: string[],
  labelled: number[],
  sequences: Sequences | undefined,
  features: ColumnTable | undefined,
  params: EvaluateParams,
  ctx: NodeContext,
): { values: Float64Array; d: number; names: string[]; kind: string } | null {
  const n = labelled.length;
  const wantStatic = params.baseline === 'auto' || params.baseline === 'static';
  if (wantStatic && features) {
    const names = params.baselineColumns.length > 0 ? params.baselineColumns : features.columnNames().filter((c) => c !== params.featuresIdColumn && isNumericColumn(features, c));
    if (names.length === 0) {
      ctx.warn('baselineUnavailable', { reason: 'the features table has no numeric column besides the id.' });
      return null;
    }
    const rowOf = new Map<string, number>();
    Array.from(features.array(params.featuresIdColumn), idKey).forEach((k, r) => {
      if (k !== null && !rowOf.has(k)) rowOf.set(k, r);
    });
    const values = new Float64Array(n * names.length);
    let filled = 0;
    names.forEach((name, c) => {
      const cells = features.array(name);
      const raw = labelled.map((r) => {
        const at = rowOf.get(ids[r] ?? '');
        return at === undefined ? Number.NaN : numericCell(cells[at]);
      });
      const good = raw.filter((v) => Number.isFinite(v));
      const mean = good.length > 0 ? good.reduce((a, b) => a + b, 0) / good.length : 0;
      raw.forEach((v, k) => {
        if (!Number.isFinite(v)) filled++;
        values[k * names.length + c] = Number.isFinite(v) ? v : mean;
      });
    });
    if (filled > 0) ctx.warn('baselineMissing', { count: filled });
    return { values, d: names.length, names, kind: 'static features table' };
  }
  if (!sequences) {
    if (params.baseline !== 'auto') ctx.warn('baselineUnavailable', { reason: `baseline "${params.baseline}" needs ${params.baseline === 'static' ? 'a features table or sequences with static features' : 'the sequences'} connected.` });
    return null;
  }
  const index = new Map<string, number>();
  sequences.ids.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  const missing = labelled.filter((r) => !index.has(ids[r] ?? ''));
  if (missing.length > 0) {
    ctx.warn('baselineUnavailable', { reason: `${missing.length} evaluated customers (e.g. ${ids[missing[0] ?? 0] ?? ''}) are not in the connected sequences.` });
    return null;
  }
  const { steps, features: D } = sequences;
  const staticNames = Array.isArray(sequences.meta.staticFeatures) ? sequences.meta.staticFeatures.filter((v): v is string => typeof v === 'string') : [];
  const staticIdx = staticNames.map((name) => sequences.featureNames.indexOf(name)).filter((j) => j >= 0);
  if (wantStatic && staticIdx.length > 0) {
    // Static features repeat on every step; the last step holds them.
    const values = new Float64Array(n * staticIdx.length);
    labelled.forEach((r, k) => {
      const i = index.get(ids[r] ?? '') ?? 0;
      staticIdx.forEach((j, c) => (values[k * staticIdx.length + c] = sequences.x[(i * steps + steps - 1) * D + j] ?? 0));
    });
    return { values, d: staticIdx.length, names: staticIdx.map((j) => sequences.featureNames[j] ?? String(j)), kind: 'static features of the sequences' };
  }
  if (params.baseline === 'static') {
    ctx.warn('baselineUnavailable', { reason: 'the sequences carry no static features and no features table is connected.' });
    return null;
  }
  // Totals of each activity feature over the window: what a model without the order sees.
  const activity = typeof sequences.meta.activityFeatures === 'number' ? sequences.meta.activityFeatures : D - staticIdx.length;
  const totals = sequenceTotals(sequences.x, sequences.n, steps, D);
  const values = new Float64Array(n * activity);
  labelled.forEach((r, k) => {
    const i = index.get(ids[r] ?? '') ?? 0;
    for (let j = 0; j < activity; j++) values[k * activity + j] = Math.sign(totals[i * D + j] ?? 0) * Math.log1p(Math.abs(totals[i * D + j] ?? 0));
  });
  return { values, d: activity, names: sequences.featureNames.slice(0, activity).map((f) => `log1p(total ${f})`), kind: 'sequence totals' };
}

function isNumericColumn(table: ColumnTable, name: string): boolean {
  const cells = table.array(name);
  let numbers = 0;
  for (let i = 0; i < cells.length && i < 1000; i++) if (typeof cells[i] === 'number') numbers++;
  return numbers > 0;
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function curveTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => {
    const count = m.roc.fpr.length;
    return {
      model: new Array<string>(count).fill(label),
      fpr: Array.from(m.roc.fpr),
      tpr: Array.from(m.roc.tpr),
      threshold: Array.from(m.roc.thresholds, (t) => finite(t)),
    };
  };
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

function prTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => {
    const count = m.pr.precision.length;
    return {
      model: new Array<string>(count).fill(label),
      recall: Array.from(m.pr.recall),
      precision: Array.from(m.pr.precision),
      // The last PR point (recall 0, precision 1) has no threshold.
      threshold: Array.from({ length: count }, (_, k) => (k < m.pr.thresholds.length ? finite(m.pr.thresholds[k] ?? Number.NaN) : null)),
    };
  };
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

function stack(parts: Record<string, unknown[]>[]): ColumnTable {
  const first = parts[0];
  if (!first) return aq.table({});
  const out: Record<string, unknown[]> = {};
  for (const key of Object.keys(first)) out[key] = parts.flatMap((p) => p[key] ?? []);
  return aq.table(out);
}

function confusionTable(model: BinaryMetrics, baseline: BinaryMetrics | null): ColumnTable {
  const part = (label: string, m: BinaryMetrics) => ({
    model: [label, label, label, label],
    actual: [1, 1, 0, 0],
    predicted: [1, 0, 1, 0],
    count: [m.confusion.tp, m.confusion.fn, m.confusion.fp, m.confusion.tn],
    threshold: [m.confusion.threshold, m.confusion.threshold, m.confusion.threshold, m.confusion.threshold].map(finite),
  });
  return stack([part('model', model), ...(baseline ? [part('baseline', baseline)] : [])]);
}

function foldsTable(perFold: { fold: number; metrics: BinaryMetrics }[]): ColumnTable {
  const columns: Record<string, unknown[]> = {
    fold: perFold.map((p) => p.fold),
    n: perFold.map((p) => p.metrics.n),
    positives: perFold.map((p) => p.metrics.positives),
  };
  for (const key of FOLD_METRICS) columns[METRIC_NAMES[key]] = perFold.map((p) => finite(p.metrics[key]));
  return aq.table(columns);
}

/** Equal-width score bins: count, mean score and observed purchase rate per bin. */
function calibrationTable(y: Float64Array, score: Float64Array, bins: number): ColumnTable {
  const count = new Array<number>(bins).fill(0);
  const sumScore = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < y.length; i++) {
    const s = score[i] ?? 0;
    const b = Math.min(bins - 1, Math.floor(s * bins));
    count[b] = (count[b] ?? 0) + 1;
    sumScore[b] = (sumScore[b] ?? 0) + s;
    sumY[b] = (sumY[b] ?? 0) + (y[i] ?? 0);
  }
  return aq.table({
    bin: count.map((_, b) => b),
    lower: count.map((_, b) => b / bins),
    upper: count.map((_, b) => (b + 1) / bins),
    count,
    mean_score: count.map((c, b) => (c > 0 ? (sumScore[b] ?? 0) / c : null)),
    observed_rate: count.map((c, b) => (c > 0 ? (sumY[b] ?? 0) / c : null)),
  });
}
