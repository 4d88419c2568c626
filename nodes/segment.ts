/**
 * Segment: groups customers with k-means++ (seeded restarts), k fixed or chosen by silhouette
 * over a range, and describes every group — size, centroid in original units, mean purchase
 * probability and score when those inputs are connected, and a name made by declared rules.
 *
 * Inputs: `table` (one row per customer: the features, raw or normalised); optional
 * `predictions` (id, score → mean purchase probability per segment); optional `scores` (the
 * weight node's table: id column + score column → mean score per segment); optional
 * `original` (the same customers in original units, e.g. the features table before
 * normalise: when connected, the profile reports the means of its numeric columns, joined on
 * the id column, so centroids read in days and money even when clustering ran on 0..1 values).
 *
 * Outputs: `segments` — assignments (id, segment 1..k numbered largest first, segment_name,
 * pc1, pc2 of a 2-D PCA of the clustered values), profiles (segment, name, size,
 * customer_share, per-column means in original units, z_<feature>, mean_purchase_probability,
 * mean_score, name_reason), curves (k, inertia, silhouette, effective_k; one row when k is
 * fixed) and detail (choice of k, silhouette sample size, log-scaled columns, roles, naming
 * rules, PCA loadings); `table` — the input with segment and segment_name added; `transform`
 * — everything needed to assign new customers (assignSegments).
 *
 * Scaling: with `skewed: log` (default) every non-negative column whose skewness exceeds
 * SKEW_LIMIT (spend, frequency, basket value are typically far right-skewed) is replaced by
 * ln(1 + x / mean(x)) — unit-free, so raw and min-max-normalised inputs give the same segments —
 * and then, with `scaling: z-score` (default), each feature is centred and divided by its
 * standard deviation so that money does not outweigh counts. All fitted numbers (log means,
 * centres, deviations, centroids) are part of the transform. Without the log step, on the
 * committed sample the lowest-inertia k = 6 solution matched the planted archetypes at ARI
 * 0.67 (a few big spenders pulled centroids); with it, 0.87 for every seed tried.
 * The profile reports per-segment means of the input values (original units).
 *
 * Kernels: src/ml/segment-fit.ts (space, k, ordering, z-scores), src/ml/segment-naming.ts
 * (declared naming rules, also listed in the output's detail; every profile row states why in
 * `name_reason`), src/ml/segment-assign.ts (assigning new customers with the transform).
 */
import { table as makeTable } from 'arquero';
import { defineNode, optional, warning, error, requireColumns, column, columns, integer, oneOf } from './define.ts';
import type { JsonObject, SegmentsValue, Transform } from './define.ts';
import type { NodeContext } from '../src/engine/node.ts';
import { idTexts, isNumericColumn, meanById, numericMatrix } from '../src/data/cells.ts';
import { SILHOUETTE_SAMPLE } from '../src/ml/cluster-metrics.ts';
import { segmentTransformParams } from '../src/ml/segment-assign.ts';
import { projection2d } from '../src/ml/pca.ts';
import { chooseSegmentCount, meanPerSegment, orderBySize, segmentMeansAndZ, segmentSpace } from '../src/ml/segment-fit.ts';
import { detectRoles, nameSegments, NAME_RULES, NAME_THRESHOLD, segmentDrivers } from '../src/ml/segment-naming.ts';

const params = {
  idColumn: column('customer_id', { label: 'Customer id column', help: 'One row per customer; empty = use row numbers.', optional: true }),
  columns: columns([], { numeric: true, label: 'Feature columns', help: 'Empty = every numeric column except the id.' }),
  chooseK: oneOf(['silhouette', 'fixed'], 'silhouette', { label: 'Choose k', help: 'silhouette: try kMin..kMax and keep the k with the highest silhouette; fixed: use k.' }),
  k: integer(4, { min: 1, max: 50, label: 'k (fixed)', showIf: { chooseK: ['fixed'] } }),
  kMin: integer(2, { min: 2, max: 50, label: 'Smallest k', showIf: { chooseK: ['silhouette'] } }),
  kMax: integer(8, { min: 2, max: 50, label: 'Largest k', showIf: { chooseK: ['silhouette'] } }),
  skewed: oneOf(['log', 'keep'], 'log', { label: 'Skewed columns', help: 'log: non-negative columns with skewness above 1 (spend, counts) become ln(1 + x / mean) before clustering, so a few very large customers do not dominate; keep: use them as they are.' }),
  scaling: oneOf(['z-score', 'none'], 'z-score', { label: 'Scaling', help: 'z-score: centre and divide each feature by its standard deviation before clustering; none: use the values as they come (already normalised).' }),
  restarts: integer(4, { min: 1, max: 50, label: 'Restarts', help: 'Seeded k-means++ starts; the lowest inertia wins.' }),
  maxIterations: integer(300, { min: 1, max: 10_000, label: 'Iteration cap' }),
  silhouetteSample: integer(SILHOUETTE_SAMPLE, { min: 100, max: 50_000, label: 'Silhouette sample', help: 'Above this many rows the silhouette is computed on a seeded sample of this size.' }),
  scoreColumn: column('score', { label: 'Score column (scores input)', from: 'scores', optional: true }),
};

/** The segment node: k-means++ segments with profiles, names, curves and a reusable transform. */
export const segment = defineNode({
  kind: 'segment',
  version: 1,
  label: 'Segment',
  description: 'Groups customers with k-means++ (k fixed or chosen by silhouette), names and profiles each segment.',
  category: 'decide',
  parallel: true,
  inputs: {
    table: 'table',
    predictions: optional('predictions', 'Predictions (purchase probability)'),
    scores: optional('table', 'Weighted scores'),
    original: optional('table', 'Features in original units'),
  },
  outputs: { segments: 'segments', table: 'table', transform: 'transform' },
  params,
  messages: {
    noRows: error('The input table has no rows; there is nobody to segment.'),
    noFeatures: error('No numeric feature column to cluster on (columns: {available}).'),
    notNumeric: error('Column {column} is not numeric (row {row} holds {value}); pick numeric feature columns.'),
    missingValue: error('Column {column} has a missing or non-finite value at row {row}; impute or filter it before segmenting.'),
    badRange: error('Smallest k ({kMin}) is larger than largest k ({kMax}).'),
    kReduced: warning('Asked for k = {asked} but the data has only {made} distinct customer profiles; made {made} segments.'),
    rangeClamped: warning('Only {rows} customers: k range {kMin}..{kMax} clamped to {from}..{to} (silhouette needs k ≤ rows − 1).'),
    tooFewForRange: warning('Only {rows} customers: cannot choose k by silhouette; used k = {k}.'),
    constantColumn: warning('Column {column} is constant; it cannot separate segments (scaled by 1).'),
    duplicateIds: warning('{count} customer ids appear more than once in {column}; joins by id use the mean over duplicates.'),
    unmatched: warning('{count} of {rows} customers have no row in the {input} input; their segment means skip them.'),
    silhouetteUndefined: warning('Silhouette is undefined for this clustering ({reason}).'),
  },
  zh: {
    label: '客户分群',
    description: '用 k-均值把客户分成若干群体并给出画像。',
    params: {
      idColumn: { label: '客户 ID 列', help: '每位客户一行；留空 = 使用行号。' },
      columns: { label: '特征列', help: '留空 = 除 ID 外的所有数值列。' },
      chooseK: { label: '选择 k', help: 'silhouette：尝试 kMin..kMax，保留轮廓系数最高的 k；fixed：使用固定的 k。' },
      k: { label: 'k（固定）' },
      kMin: { label: '最小 k' },
      kMax: { label: '最大 k' },
      skewed: { label: '偏态列', help: 'log：偏度大于 1 的非负列（消费额、次数）在聚类前变换为 ln(1 + x / mean)，避免少数超大客户主导结果；keep：按原样使用。' },
      scaling: { label: '缩放', help: 'z-score：聚类前将每个特征中心化并除以其标准差；none：直接使用原值（数据已归一化时）。' },
      restarts: { label: '重复初始化次数', help: '以随机种子进行的 k-means++ 初始化次数；取惯性（簇内平方和）最小的一次。' },
      maxIterations: { label: '最大迭代次数' },
      silhouetteSample: { label: '轮廓系数抽样数', help: '行数超过该值时，在该大小的带种子随机样本上计算轮廓系数。' },
      scoreColumn: { label: '得分列（scores 输入）' },
    },
    messages: {
      noRows: '输入表没有行；没有可分群的客户。',
      noFeatures: '没有可用于聚类的数值特征列（现有列：{available}）。',
      notNumeric: '列 {column} 不是数值列（第 {row} 行为 {value}）；请选择数值特征列。',
      missingValue: '列 {column} 在第 {row} 行有缺失值或非有限值；请在分群前填补或过滤。',
      badRange: '最小 k（{kMin}）大于最大 k（{kMax}）。',
      kReduced: '要求 k = {asked}，但数据中只有 {made} 种不同的客户画像；已分成 {made} 个群。',
      rangeClamped: '只有 {rows} 位客户：k 的范围 {kMin}..{kMax} 已收窄为 {from}..{to}（轮廓系数要求 k ≤ 行数 − 1）。',
      tooFewForRange: '只有 {rows} 位客户：无法按轮廓系数选择 k；使用 k = {k}。',
      constantColumn: '列 {column} 为常量，无法区分群体（按 1 缩放）。',
      duplicateIds: '{count} 个客户 ID 在 {column} 中出现多次；按 ID 关联时取重复行的均值。',
      unmatched: '{rows} 位客户中有 {count} 位在 {input} 输入中没有对应行；计算分群均值时跳过他们。',
      silhouetteUndefined: '此聚类结果的轮廓系数没有定义（{reason}）。',
    },
  },
  async run(inputs, p, ctx: NodeContext) {
    const t = inputs.table;
    const n = t.numRows();
    if (p.idColumn !== '') requireColumns(t, [p.idColumn], 'idColumn');
    if (p.columns.length > 0) requireColumns(t, p.columns, 'columns');
    if (n === 0) ctx.fail('noRows');
    const features = p.columns.length > 0 ? p.columns : t.columnNames().filter((c) => c !== p.idColumn && isNumericColumn(t, c));
    if (features.length === 0) ctx.fail('noFeatures', { available: t.columnNames().join(', ') || 'none' }, 'columns');
    const d = features.length;
    const read = numericMatrix(t, features);
    if (read.bad) ctx.fail(read.bad.missing ? 'missingValue' : 'notNumeric', { column: read.bad.column, row: read.bad.row + 1, ...(read.bad.missing ? {} : { value: String(read.bad.value) }) }, 'columns');
    const raw = read.values;
    const ids = idTexts(t, p.idColumn);
    if (p.idColumn !== '') {
      const dup = ids.length - new Set(ids).size;
      if (dup > 0) ctx.warn('duplicateIds', { count: dup, column: p.idColumn });
    }

    const space = segmentSpace(raw, n, d, { logSkewed: p.skewed === 'log', zScore: p.scaling === 'z-score' });
    for (let j = 0; j < d; j++) if (n > 1 && space.sd[j] === 0) ctx.warn('constantColumn', { column: features[j] ?? '' });
    const seed = ctx.random.uint32();
    if (p.chooseK === 'silhouette' && p.kMin > p.kMax) ctx.fail('badRange', { kMin: p.kMin, kMax: p.kMax }, 'kMin');
    const choice = await chooseSegmentCount(space.matrix, { ...p, seed }, {
      progress: (fraction, detail) => ctx.progress(fraction, detail),
      checkCancelled: () => ctx.checkCancelled(),
      signal: ctx.signal,
      ...(ctx.host.pool ? { pool: ctx.host.pool } : {}),
    });
    if (choice.tooFewFor !== null) ctx.warn('tooFewForRange', { rows: n, k: choice.tooFewFor });
    if (choice.clamped !== null) ctx.warn('rangeClamped', { rows: n, kMin: p.kMin, kMax: p.kMax, ...choice.clamped });
    const model = choice.model;
    const asked = p.chooseK === 'fixed' ? p.k : model.requestedK;
    if (model.k < asked) ctx.warn('kReduced', { asked, made: model.k });
    if (Number.isNaN(choice.silhouette)) {
      ctx.warn('silhouetteUndefined', { reason: model.k < 2 ? 'fewer than 2 segments' : 'every customer is its own segment' });
    }

    const k = model.k;
    const { order, labels, sizes } = orderBySize(model);
    const { means: segMean, z } = segmentMeansAndZ(raw, space, labels, sizes);
    const { names, reasons } = nameSegments(features, z);

    // Profile columns in original units: the `original` table when connected, else the features.
    const segmentMeans = (byId: Map<string, number>, input: string): (number | null)[] => {
      const { means, missing } = meanPerSegment(byId, ids, labels, k);
      if (missing > 0) ctx.warn('unmatched', { count: missing, rows: ids.length, input });
      return means;
    };
    const profile: Record<string, (number | string | null)[]> = {
      segment: sizes.map((_, s) => s + 1),
      name: names,
      size: sizes,
      customer_share: sizes.map((c) => c / n),
    };
    const original = inputs.original;
    if (original !== undefined) {
      if (p.idColumn !== '') requireColumns(original, [p.idColumn], 'idColumn');
      const cols = original.columnNames().filter((c) => c !== p.idColumn && isNumericColumn(original, c));
      for (const col of cols) profile[col] = segmentMeans(meanById(original, p.idColumn, col), 'original');
    } else {
      features.forEach((col, j) => (profile[col] = segMean.map((m) => m[j]!)));
    }
    features.forEach((col, j) => (profile[`z_${col}`] = z.map((zs) => zs[j]!)));
    if (inputs.predictions !== undefined) {
      requireColumns(inputs.predictions, ['id', 'score'], 'predictions');
      profile.mean_purchase_probability = segmentMeans(meanById(inputs.predictions, 'id', 'score'), 'predictions');
    }
    if (inputs.scores !== undefined) {
      const idCol = p.idColumn === '' ? 'id' : p.idColumn;
      requireColumns(inputs.scores, [idCol, p.scoreColumn], 'scoreColumn');
      profile.mean_score = segmentMeans(meanById(inputs.scores, idCol, p.scoreColumn), 'scores');
    }
    profile.name_reason = reasons;
    const drivers = segmentDrivers(features, z);
    profile.drivers = drivers.en;
    profile.drivers_zh = drivers.zh;

    // A 2-D projection of the clustered space for the scatter plot.
    const projection = projection2d(space.matrix);
    const segmentNames = Array.from(labels, (s) => names[s] ?? '');
    const assignments = makeTable({
      id: p.idColumn === '' ? ids : t.array(p.idColumn),
      segment: Array.from(labels, (s) => s + 1),
      segment_name: segmentNames,
      pc1: projection.pc1,
      pc2: projection.pc2,
    });
    const roles = detectRoles(features);
    const detail: JsonObject = {
      k,
      requestedK: model.requestedK,
      chosenBy: choice.chosenBy,
      silhouette: Number.isNaN(choice.silhouette) ? null : choice.silhouette,
      silhouetteSampleSize: choice.silhouetteSampleSize,
      silhouetteSampled: choice.silhouetteSampled,
      elbowK: choice.elbowK,
      inertia: model.inertia,
      iterations: model.iterations,
      converged: model.converged,
      restarts: p.restarts,
      features,
      logScaled: features.filter((_, j) => space.logMean[j]! > 0),
      scaling: p.scaling,
      roles: Object.fromEntries(Object.entries(roles)),
      nameThreshold: NAME_THRESHOLD,
      namingRules: NAME_RULES.map((r) => ({ part: r.part, role: r.role, column: roles[r.role] ?? null, condition: `z ${r.side === 'high' ? '≥' : '≤'} ${r.side === 'high' ? '' : '-'}${NAME_THRESHOLD}`, word: r.word })),
      pca: { explainedVarianceRatio: projection.explainedVarianceRatio, loadings: projection.loadings },
    };
    const { curve } = choice;
    const segments: SegmentsValue = {
      assignments,
      profiles: makeTable(profile),
      curves: makeTable({ k: curve.k, inertia: curve.inertia, silhouette: curve.silhouette, effective_k: curve.effectiveK }),
      detail,
    };
    const transform: Transform = {
      kind: 'segment',
      label: `k-means: ${k} segment${k === 1 ? '' : 's'} on ${d} column${d === 1 ? '' : 's'} (${p.skewed === 'log' ? 'skewed log-scaled, ' : ''}${p.scaling})`,
      params: segmentTransformParams(p.idColumn, features, space, model.centroids, order, names),
    };
    const out = t.assign(makeTable({ segment: Array.from(labels, (s) => s + 1), segment_name: segmentNames }));
    ctx.progress(1);
    return { segments, table: out, transform };
  },
  summary(outputs) {
    const k = outputs.segments.detail.k;
    const sil = outputs.segments.detail.silhouette;
    return `k = ${String(k)}${typeof sil === 'number' ? ` · silhouette ${sil.toFixed(3)}` : ''}`;
  },
});
