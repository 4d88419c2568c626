/**
 * Classify: one row per customer in, a churn/response model out. L2 logistic regression on
 * standardised one-hot features or histogram gradient-boosted trees (src/ml/tabular-model.ts),
 * scored out of fold by the studio's stratified k-fold; the predictions port is the LSTM's
 * (id, score, label, fold), so Evaluate, Segment and Decide take it unchanged. With a `model`
 * input the node fits nothing and applies that model to the table.
 */
import type { ColumnTable } from 'arquero';
import * as aq from 'arquero';
import { idTexts } from '../src/data/cells.ts';
import { cellKey, idLikeColumn } from '../src/data/cells.ts';
import { columnValues, isMissing } from '../src/data/columns.ts';
import { nameMatch } from '../src/data/roles.ts';
import { KernelInputError } from '../src/ml/matrix.ts';
import { rocAuc } from '../src/ml/metrics.ts';
import { crossValidateTabular, isTabularModel, predictTabular, TABULAR_LEARNERS, type TabularModel } from '../src/ml/tabular-model.ts';
import type { TabularInput } from '../src/ml/tabular.ts';
import { boolean, column, columns, defineNode, error, integer, number, oneOf, optional, requireColumns, text, warning, type ModelValue, type NodeContext } from './define.ts';

/** Label values read as "positive" when the user leaves the positive value empty. */
const POSITIVE_WORDS = new Set(['1', 'yes', 'y', 'true', 'churn', 'churned', 'positive', 'bought', 'buyer', 'purchased', 'responded', 'revenue', 'left', 'converted']);
/** Most feature columns a learner takes (histograms and the Hessian grow with it). */
const MAX_FEATURES = 2000;

/** The two label values, positive first, or a failure. */
function labelValues(values: ArrayLike<unknown>, column: string, positive: string, ctx: NodeContext): [string, string] {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) if (!isMissing(values[i])) counts.set(cellKey(values[i]), (counts.get(cellKey(values[i])) ?? 0) + 1);
  const seen = [...counts.keys()];
  if (seen.length === 1) ctx.fail('labelOneValue', { column, value: seen[0] ?? '' }, 'label');
  if (seen.length !== 2) ctx.fail('labelValues', { column, count: seen.length, values: seen.slice(0, 5).join(', ') || '(none)' }, 'label');
  const [a, b] = seen as [string, string];
  if (positive !== '') {
    if (!counts.has(positive)) ctx.fail('positiveMissing', { column, value: positive, values: `${a}, ${b}` }, 'positive');
    return positive === a ? [a, b] : [b, a];
  }
  const word = seen.find((v) => POSITIVE_WORDS.has(v.trim().toLowerCase()));
  const pick = word ?? ((counts.get(a) ?? 0) <= (counts.get(b) ?? 0) ? a : b);
  if (!word) ctx.warn('positiveGuessed', { column, value: pick });
  return pick === a ? [a, b] : [b, a];
}

/** Columns with exactly two values, those named like a label (Churn, target, ...) first: what to offer when no label is set. */
function labelCandidates(table: ColumnTable): string[] {
  const two = table.columnNames().filter((name) => {
    const seen = new Set<string>();
    const values = columnValues(table, name);
    for (let i = 0; i < values.length && seen.size <= 2; i++) if (!isMissing(values[i])) seen.add(cellKey(values[i]));
    return seen.size === 2;
  });
  const rank = (c: string): number => {
    const m = nameMatch('label', c);
    return m === 'exact' ? 0 : m === 'part' ? 1 : 2;
  };
  return two.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
}

/** The id column: the param, else a column named like an id, else none (row numbers). */
function idColumn(table: ColumnTable, id: string): string {
  if (id !== '') return id;
  return idLikeColumn(table.columnNames());
}

/** The classify node. */
export const classify = defineNode({
  kind: 'classify',
  version: 1,
  label: 'Classify',
  category: 'model',
  parallel: true,
  description: 'Predicts a yes/no label for each customer of a table with logistic regression or gradient-boosted trees, scored out of fold.',
  inputs: { table: 'table', model: optional('model', 'Saved classify model (apply instead of training)') },
  outputs: { predictions: 'predictions', model: 'model', importance: 'table' },
  params: {
    label: column('', { label: 'Label column', help: 'A column with exactly two values (Yes/No, 1/0, true/false...).' }),
    positive: text('', { label: 'Positive value', help: 'The label value to predict; empty: yes/1/true/churn..., else the rarer value.', maxLength: 200 }),
    id: column('', { label: 'Id column', optional: true, help: 'Empty: a column named like an id, else row numbers (1, 2, ... as Segment numbers them).' }),
    features: columns([], { label: 'Features', help: 'Empty: every column but the id and the label.' }),
    learner: oneOf(TABULAR_LEARNERS, 'gbdt', { label: 'Learner', help: 'logistic: L2 logistic regression on standardised one-hot features; gbdt: histogram gradient-boosted trees.' }),
    folds: integer(5, { label: 'Folds', min: 2, max: 20, group: 'Validation' }),
    finalModel: boolean(true, { label: 'Final model on all rows', group: 'Validation', help: 'Off: the model output is fold 1’s model.' }),
    l2: number(1, { label: 'L2 strength λ', min: 1e-6, max: 1e6, group: 'Logistic', help: 'Penalty ‖w‖²·λ/2 on standardised coefficients; sklearn C = 1/λ.', showIf: { learner: ['logistic'] } }),
    iterations: integer(100, { label: 'Trees', min: 1, max: 5000, group: 'Trees', showIf: { learner: ['gbdt'] } }),
    learningRate: number(0.1, { label: 'Learning rate', min: 0.001, max: 1, step: 0.01, group: 'Trees', showIf: { learner: ['gbdt'] } }),
    maxLeaves: integer(31, { label: 'Leaves per tree', min: 2, max: 1024, group: 'Trees', showIf: { learner: ['gbdt'] } }),
    maxDepth: integer(0, { label: 'Max depth', min: 0, max: 64, group: 'Trees', help: '0: no limit (leaves decide).', showIf: { learner: ['gbdt'] } }),
    minLeaf: integer(20, { label: 'Min customers per leaf', min: 1, max: 100000, group: 'Trees', showIf: { learner: ['gbdt'] } }),
    treeL2: number(0, { label: 'Leaf L2', min: 0, max: 1e6, group: 'Trees', help: 'L2 penalty on leaf values.', showIf: { learner: ['gbdt'] } }),
    earlyStopping: oneOf(['auto', 'on', 'off'], 'auto', { label: 'Early stopping', group: 'Trees', help: 'Watches log-loss on a stratified 10% of the training rows; auto: on above 10,000 rows; on: always; off: never.', showIf: { learner: ['gbdt'] } }),
    logNumbers: boolean(false, { label: 'Log numbers', group: 'Logistic', help: 'Read every number column as sign(x)·ln(1 + |x|) before standardising: counts and amounts, whose few large values would otherwise decide a linear model alone. Trees do not need it.', showIf: { learner: ['logistic'] } }),
    maxLevels: integer(30, { label: 'Levels kept per category', min: 1, max: 1000, group: 'Encoding', help: 'Rarer levels (and those under 5 customers) share one "other" level.' }),
  },
  messages: {
    noLabel: error('Choose the label column: the yes/no column to predict (columns with two values here: {candidates}).'),
    labelOneValue: error('Every labelled row of column {column} is {value}; a label needs two values (both outcomes) to learn from.'),
    labelValues: error('The label column {column} has {count} distinct values ({values}); it needs exactly two.'),
    positiveMissing: error('The positive value {value} is not in the label column {column} (values: {values}).'),
    positiveGuessed: warning('Positive value not set: predicting {value} of column {column}.'),
    tooFewForFolds: error('{folds}-fold validation puts positives in every fold only with at least {folds} customers of each class; column {column} has {positives} {positive} and {negatives} other.'),
    idAsFeature: warning('Column {column} is the id column; it was left out of the features.'),
    idLike: warning('Column {column} looks like an id ({levels} distinct values); it was left out of the features.'),
    allMissing: warning('Column {column} has no values; it was left out of the features.'),
    noFeatures: error('No usable feature column is left (after leaving out the id, the label and empty or id-like columns).'),
    tooManyFeatures: error('{count} feature columns ({first} … {last}) is more than the {max} this node takes; choose at most {max} in parameter "features".'),
    badModel: error('The connected model is not a classify model (kind {kind}).'),
    modelColumnMissing: error('The connected model needs column {column}, which this table does not have.'),
    kernelInput: error('The learner rejected its input: {reason}'),
  },
  zh: {
    label: '分类',
    description: '用逻辑回归或梯度提升树为表中每位客户预测是/否标签，并做交叉验证（折外）打分。',
    params: {
      label: { label: '标签列', help: '恰好有两个取值的列（Yes/No、1/0、true/false……）。' },
      positive: { label: '正类取值', help: '要预测的标签取值；留空：yes/1/true/churn……，否则取较少的那个值。' },
      id: { label: 'ID 列', help: '留空：名称像 ID 的列，否则用行号（1, 2, ...，与细分节点的编号一致）。' },
      features: { label: '特征列', help: '留空：除 ID 列和标签列外的所有列。' },
      learner: { label: '学习器', help: 'logistic：在标准化独热特征上的 L2 逻辑回归；gbdt：直方图梯度提升树。' },
      folds: { label: '折数' },
      finalModel: { label: '用全部行训练最终模型', help: '关闭：模型输出为第 1 折的模型。' },
      l2: { label: 'L2 强度 λ', help: '对标准化系数的惩罚 ‖w‖²·λ/2；sklearn 的 C = 1/λ。' },
      iterations: { label: '树的数量' },
      learningRate: { label: '学习率' },
      maxLeaves: { label: '每棵树的叶子数' },
      maxDepth: { label: '最大深度', help: '0：不限（由叶子数决定）。' },
      minLeaf: { label: '每个叶子的最少客户数' },
      treeL2: { label: '叶子 L2', help: '对叶子取值的 L2 惩罚。' },
      earlyStopping: { label: '早停', help: '在训练行中分层抽取 10% 监控对数损失；auto：超过 10,000 行时开启；on：总是开启；off：从不开启。' },
      logNumbers: { label: '数值取对数', help: '标准化之前，把每个数值列按 sign(x)·ln(1 + |x|) 读取：计数和金额中少数很大的值否则会单独左右线性模型。树模型不需要。' },
      maxLevels: { label: '每个类别保留的取值数', help: '更少见的取值（以及不足 5 位客户的取值）合并为一个 "other"（其他）。' },
    },
    groups: { Validation: '验证', Logistic: '逻辑回归', Trees: '树', Encoding: '编码' },
    messages: {
      noLabel: '请选择标签列：要预测的是/否列（此表中有两个取值的列：{candidates}）。',
      labelOneValue: '列 {column} 中所有有标签的行都是 {value}；标签需要两个取值（两种结果）才能学习。',
      labelValues: '标签列 {column} 有 {count} 个不同取值（{values}）；需要恰好两个。',
      positiveMissing: '正类取值 {value} 不在标签列 {column} 中（取值：{values}）。',
      positiveGuessed: '未设置正类取值：预测列 {column} 的 {value}。',
      tooFewForFolds: '{folds} 折验证要求每类至少 {folds} 位客户，才能让每一折都有正类；列 {column} 有 {positives} 个 {positive}，其他 {negatives} 个。',
      idAsFeature: '列 {column} 是 ID 列，已从特征中去掉。',
      idLike: '列 {column} 看起来是 ID（{levels} 个不同取值），已从特征中去掉。',
      allMissing: '列 {column} 没有任何值，已从特征中去掉。',
      noFeatures: '没有可用的特征列（去掉 ID、标签以及空列或类似 ID 的列之后）。',
      tooManyFeatures: '{count} 个特征列（{first} … {last}）超过本节点可接受的 {max} 个；请在参数 "features" 中最多选择 {max} 个。',
      badModel: '连接的模型不是分类模型（类型 {kind}）。',
      modelColumnMissing: '连接的模型需要列 {column}，但此表没有该列。',
      kernelInput: '学习器拒绝了输入：{reason}',
    },
  },
  async run({ table, model }, params, ctx) {
    const n = table.numRows();
    const id = idColumn(table, params.id);
    if (!model && params.label === '') ctx.fail('noLabel', { candidates: labelCandidates(table).slice(0, 6).join(', ') || '(none)' }, 'label');
    if (!model || params.label !== '') requireColumns(table, [params.label], 'label');
    requireColumns(table, [...(id === '' ? [] : [id]), ...params.features], 'features');
    const ids = idTexts(table, id);
    const labelCells: ArrayLike<unknown> = params.label === '' ? new Array<null>(n).fill(null) : columnValues(table, params.label);
    if (model) return applyModel(table, model, ids, labelCells, params.positive, ctx);
    const [positive] = labelValues(labelCells, params.label, params.positive, ctx);
    const labels = Float64Array.from({ length: n }, (_, i) => (isMissing(labelCells[i]) ? Number.NaN : cellKey(labelCells[i]) === positive ? 1 : 0));
    for (const c of params.features) if (c === id) ctx.warn('idAsFeature', { column: c });
    const chosen = (params.features.length > 0 ? params.features : table.columnNames()).filter((c) => c !== id && c !== params.label);
    if (chosen.length > MAX_FEATURES) ctx.fail('tooManyFeatures', { count: chosen.length, first: chosen[0] ?? '', last: chosen[chosen.length - 1] ?? '', max: MAX_FEATURES }, 'features');
    const inputs: TabularInput[] = chosen.map((name) => ({ name, values: columnValues(table, name) }));
    let positives = 0;
    let negatives = 0;
    labels.forEach((y) => (y === 1 ? positives++ : y === 0 ? negatives++ : 0));
    if (Math.min(positives, negatives) < params.folds) ctx.fail('tooFewForFolds', { folds: params.folds, column: params.label, positive, positives, negatives }, 'folds');
    let last = Date.now();
    try {
      const cv = await crossValidateTabular(inputs, n, labels, {
        learner: params.learner, folds: params.folds, seed: ctx.seed, ids, C: 1 / params.l2, finalModel: params.finalModel, encoder: { maxLevels: params.maxLevels, logNumbers: params.learner === 'logistic' && params.logNumbers },
        gbdt: { maxIter: params.iterations, learningRate: params.learningRate, maxLeafNodes: params.maxLeaves, maxDepth: params.maxDepth > 0 ? params.maxDepth : Number.POSITIVE_INFINITY, minSamplesLeaf: params.minLeaf, l2Regularization: params.treeL2, earlyStopping: params.earlyStopping === 'auto' ? 'auto' : params.earlyStopping === 'on' },
      }, async (fraction, detail) => {
        ctx.progress(fraction, detail);
        ctx.checkCancelled();
        // Yield to the event loop now and then, so a cancel message can arrive.
        if (Date.now() - last > 50) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          last = Date.now();
          ctx.checkCancelled();
        }
      }, { signal: ctx.signal, ...(ctx.host.pool ? { pool: ctx.host.pool } : {}) });
      for (const issue of cv.issues) if (issue.code === 'idLike' || issue.code === 'allMissing') ctx.warn(issue.code, { column: issue.column, levels: issue.levels });
      if (cv.model.features.length === 0) ctx.fail('noFeatures');
      const scored = Array.from({ length: n }, (_, i) => i).filter((i) => cv.fold[i]! >= 0);
      const auc = rocAuc(Float64Array.from(scored, (i) => labels[i]!), Float64Array.from(scored, (i) => cv.score[i]!));
      const importance = aq.table({ feature: cv.importance.map((r) => r.feature), column: cv.importance.map((r) => r.column), importance: cv.importance.map((r) => r.importance) });
      return {
        predictions: predictionsTable(ids, cv.score, labels, cv.fold),
        model: modelValue({ ...cv.model, folds: { idColumn: id, ids: scored.map((i) => ids[i] ?? ''), fold: Int32Array.from(scored, (i) => cv.fold[i] ?? 0), models: cv.foldModels } }, positive, params.label, { auc: Number.isFinite(auc) ? auc : null, folds: params.folds, foldIterations: cv.foldIterations, seed: ctx.seed }),
        importance,
      };
    } catch (err) {
      if (err instanceof KernelInputError) return ctx.fail('kernelInput', { reason: err.message });
      throw err;
    }
  },
  summary: ({ model }) => {
    const auc = model.metadata.auc;
    return `${String(model.metadata.learner)} · ${typeof auc === 'number' ? `AUC ${auc.toFixed(3)}` : 'applied'}`;
  },
});

function predictionsTable(ids: string[], score: Float64Array, labels: Float64Array, fold: Int32Array): ColumnTable {
  return aq.table({ id: ids, score: Array.from(score), label: Array.from(labels, (y) => (y === 0 || y === 1 ? y : null)), fold: Array.from(fold) });
}

function modelValue(model: TabularModel, positive: string, label: string, extra: { auc: number | null; folds: number; foldIterations: number[]; seed: number }): ModelValue {
  return { kind: 'classify', metadata: { learner: model.learner, positive, label, features: model.encoding.columns.map((c) => c.name), encodedFeatures: model.features.length, ...extra }, artifacts: model };
}

function applyModel(table: ColumnTable, model: ModelValue, ids: string[], labelCells: ArrayLike<unknown>, positiveParam: string, ctx: NodeContext): { predictions: ColumnTable; model: ModelValue; importance: ColumnTable } {
  const artifacts = model.artifacts;
  if (model.kind !== 'classify' || !isTabularModel(artifacts)) return ctx.fail('badModel', { kind: model.kind }, 'model');
  for (const c of artifacts.encoding.columns) if (!table.columnNames().includes(c.name)) ctx.fail('modelColumnMissing', { column: c.name }, 'model');
  const n = table.numRows();
  const score = predictTabular(artifacts, artifacts.encoding.columns.map((c) => ({ name: c.name, values: columnValues(table, c.name) })), n);
  const positive = positiveParam !== '' ? positiveParam : typeof model.metadata.positive === 'string' ? model.metadata.positive : '';
  const labels = Float64Array.from({ length: n }, (_, i) => (isMissing(labelCells[i]) ? Number.NaN : cellKey(labelCells[i]) === positive ? 1 : 0));
  ctx.progress(1);
  return { predictions: predictionsTable(ids, score, labels, new Int32Array(n).fill(-1)), model: { ...model, metadata: { ...model.metadata, applied: true, auc: null } }, importance: aq.table({ feature: [], column: [], importance: [] }) };
}
