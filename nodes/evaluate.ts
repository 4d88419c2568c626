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
import { idKey, numericCell } from '../src/data/cells.ts';
import { calibrationTable, confusionTable, curveTable, finite, foldsTable, METRIC_NAMES, prTable } from '../src/ml/classifier-tables.ts';
import { baselineMatrix, outOfFoldScores } from '../src/ml/logistic-baseline.ts';
import { comparisonTables } from '../src/ml/compare-tables.ts';
import { compareModels, scoredModel, type ScoredModel } from '../src/ml/compare.ts';
import { meanRankEnsemble } from '../src/ml/rank-ensemble.ts';
import { KernelInputError } from '../src/ml/matrix.ts';
import { binaryMetrics, maxF1Threshold, summariseFolds, FOLD_METRICS, type BinaryMetrics } from '../src/ml/metrics.ts';
import { boolean, column, columns, defineNode, error, integer, number, oneOf, optional, requireColumns, text, warning, type JsonObject, type MetricsValue } from './define.ts';

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
  name: text('model', { label: 'Name of predictions', group: 'Compare', maxLength: 60 }),
  name2: text('model 2', { label: 'Name of predictions 2', group: 'Compare', maxLength: 60 }),
  name3: text('model 3', { label: 'Name of predictions 3', group: 'Compare', maxLength: 60 }),
  bootstrap: integer(500, { label: 'Bootstrap resamples', min: 0, max: 5000, group: 'Compare', help: 'For the interval of each paired AUC difference against the first predictions; 0: none.' }),
  ensemble: boolean(false, { label: 'Ensemble (mean rank)', group: 'Compare', help: 'With two or more predictions: one more model, "ensemble (mean rank)", ordering customers by the mean of their ranks under each model (equal weights, nothing fitted, so no held-out label is used); its values are the models\' mean probabilities re-dealt in that order.' }),
};

/** The leaderboard name of Evaluate's mean-rank ensemble. */
export const ENSEMBLE_NAME = 'ensemble (mean rank)';

/** The evaluate node. */
export const evaluate = defineNode({
  kind: 'evaluate',
  version: 1,
  label: 'Evaluate',
  description: 'Accuracy, precision, recall, F1, ROC/PR AUC, log loss and Brier per fold and overall, beside a logistic baseline; up to three models (LSTM, classify learners), and their mean-rank ensemble when asked, compared in one leaderboard with overlaid curves, lift by decile and the paired AUC difference.',
  category: 'evaluate',
  inputs: {
    predictions: 'predictions',
    predictions2: optional('predictions', 'Predictions to compare (2)'),
    predictions3: optional('predictions', 'Predictions to compare (3)'),
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
    compareFailed: warning('The models could not be compared: {reason}'),
  },
  zh: {
    label: '评估',
    description: '按折与总体计算准确率、精确率、召回率、F1、ROC/PR AUC、对数损失与 Brier 分数，并与逻辑回归基线对照；最多三个模型（LSTM、分类学习器），以及按需加入的平均秩集成，在同一排行榜中比较，含叠加曲线、按十分位的提升与配对 AUC 差。',
    params: {
      thresholdRule: { label: '阈值规则', help: 'fixed：得分 ≥ 阈值时预测为购买；max-f1：取在这些预测上使 F1 最大的阈值（结果偏乐观）。' },
      threshold: { label: '固定阈值' },
      baseline: { label: '基线', help: '以逻辑回归作基线，输入为：auto = 静态特征（来自 features 表输入，否则取附加在序列上的静态特征），都没有时用序列总量；static：静态特征；totals：各序列特征的总量；none：不做基线。' },
      featuresIdColumn: { label: '特征表 ID 列', help: '静态特征表的 ID 列。' },
      baselineColumns: { label: '基线特征列', help: '基线使用的特征表列（留空：除 ID 外的所有数值列）。' },
      bins: { label: '校准分箱数' },
      name: { label: '预测的名称' },
      name2: { label: '预测 2 的名称' },
      name3: { label: '预测 3 的名称' },
      bootstrap: { label: '自助法重抽样次数', help: '用于每个模型与第一个预测的配对 AUC 差的区间；0：不计算。' },
      ensemble: { label: '集成（平均排名）', help: '有两个或更多预测时，多比较一个模型“ensemble (mean rank)”：按客户在各模型下排名的平均值排序（等权重，不拟合任何参数，因此不用任何留出折的标签）；其取值为各模型平均概率按该顺序重新分配。' },
    },
    groups: { Baseline: '基线', Compare: '比较' },
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
      compareFailed: '无法比较这些模型：{reason}',
    },
  },
  async run({ predictions, predictions2, predictions3, sequences, features }, params, ctx) {
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
    let baseline: { scores: Float64Array; kind: string; features: string[] } | null = null;
    if (params.baseline !== 'none') {
      const matrix = baselineMatrix(ids, labelled, sequences, features, params);
      if (matrix.source === null) {
        if (matrix.reason !== null) ctx.warn('baselineUnavailable', { reason: matrix.reason });
      } else {
        if (matrix.filled > 0) ctx.warn('baselineMissing', { count: matrix.filled });
        const foldOf = (r: number): number => Math.floor(numericCell(foldCells[r]));
        const fit = outOfFoldScores(matrix.source, rows, labelled, (r) => Number(labelCells[r]), foldOf);
        if ('failed' in fit) ctx.warn('baselineFailed', { reason: fit.failed });
        else baseline = { scores: fit.scores, kind: matrix.source.kind, features: matrix.source.names };
      }
    }
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
    // Leaderboard of every connected predictions input plus the baseline, on shared customers.
    const scored: ScoredModel[] = [{ name: params.name, ids: rows.map((r) => ids[r] ?? ''), score, label: y, fold }];
    let best: JsonObject | null = null;
    try {
      for (const [name, p] of [[params.name2, predictions2], [params.name3, predictions3]] as const) {
        if (!p) continue;
        const cols = p.columnNames();
        if (!['id', 'score', 'label'].every((c) => cols.includes(c))) ctx.fail('noColumns', { columns: cols.join(', ') || 'no columns' });
        scored.push(scoredModel(name, Array.from(p.array('id'), (v) => idKey(v) ?? ''), p.array('score'), p.array('label'), cols.includes('fold') ? p.array('fold') : null));
      }
      if (params.ensemble && scored.length > 1) scored.push(meanRankEnsemble(scored, ENSEMBLE_NAME));
      const models = scored.length;
      if (baseline) scored.push({ name: 'baseline (logistic)', ids: scored[0]!.ids, score: baseline.scores, label: y, fold });
      const comparison = compareModels(scored, { threshold: rule, bootstrap: params.bootstrap, seed: ctx.seed });
      Object.assign(tables, comparisonTables(comparison));
      // The best of the compared models (not the baseline), for the summary line.
      const ranked = comparison.leaderboard.slice(0, models).filter((r) => Number.isFinite(r.metrics.rocAuc));
      const top = ranked.reduce<(typeof ranked)[number] | null>((a, r) => (a === null || r.metrics.rocAuc > a.metrics.rocAuc ? r : a), null);
      if (models > 1 && top) best = { model: top.model, roc_auc: top.metrics.rocAuc, models, first: top === comparison.leaderboard[0] };
    } catch (err) {
      if (!(err instanceof KernelInputError)) throw err;
      ctx.warn('compareFailed', { reason: err.message });
    }
    const detail: JsonObject = {
      thresholdRule: params.thresholdRule,
      evaluatedRows: rows.length,
      skippedRows: ids.length - rows.length,
      baseline: baseline ? { kind: baseline.kind, features: baseline.features, threshold: baselineMetrics ? finite(baselineMetrics.confusion.threshold) : null } : null,
      ...(best ? { best } : {}),
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
    const best = metrics.detail.best;
    // A card holds about 32 characters: with a comparison the baseline is left to the leaderboard,
    // and the best model's name comes last, so only its end is cut when it is long.
    if (typeof best === 'object' && best !== null && !Array.isArray(best) && typeof best.model === 'string' && typeof best.roc_auc === 'number' && typeof best.models === 'number') {
      return best.first === true ? `${head} · best of ${best.models}` : `${head} · best ${best.roc_auc.toFixed(3)}: ${best.model}`;
    }
    return typeof base === 'number' ? `${head} · baseline ${base.toFixed(3)}` : head;
  },
});
