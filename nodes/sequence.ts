/**
 * Sequence: per-customer sequences [n, T, D] of the T periods before a cutoff, built from a
 * transactions or events table (and optionally a second activity table), with a label per
 * customer (any purchase in the horizon after the cutoff, or a label column of a customers
 * table) and optional static features appended to every step.
 *
 * The output values are unscaled (counts, sums, means as computed) so a person can read them;
 * the `scaling` param names the scaler the lstm node fits on each fold's training rows only
 * (fitting it here on every row would leak held-out customers into training). `totals`: the
 * same customers and labels, one row each, for a tabular model (src/data/sequence-totals.ts).
 */
import type { ColumnTable } from 'arquero';
import { dayBefore, isoDayOrNone as dayText } from '../src/data/dates.ts';
import { assertNever } from '../src/engine/errors.ts';
import { activitySources, customerUniverse, horizonLabelling, MAX_COUNT_BY_VALUES, sequenceFeatureTexts, withStaticFeatures } from '../src/data/sequence-tables.ts';
import { recentSteps, totalsTable, windowSummaries } from '../src/data/sequence-totals.ts';
import { AGGREGATIONS, PERIODS, SCALING_METHODS, buildSequences, labelCounts, type ActivityFeature, type BuiltSequences } from '../src/data/sequences.ts';
import { boolean, column, columnChoices, columns, date, defineNode, error, integer, oneOf, optional, requireColumns, warning, type NodeContext, type Sequences } from './define.ts';

/** The sequence node. */
export const sequence = defineNode({
  kind: 'sequence',
  version: 2,
  // v2: the horizon end is the last day of the label window (included); v1 named the day after it.
  migrate: { 1: (p) => (typeof p.horizonEnd === 'string' && p.horizonEnd !== '' ? { ...p, horizonEnd: dayBefore(p.horizonEnd) } : p) },
  label: 'Sequences',
  description: 'Per-customer sequences of the periods before a cutoff, labelled by a purchase in the horizon after it. The totals table has one row per customer for a tabular model (Classify) on the same customers and labels: each feature summed over the window and over its last quarter (so a tree sees recency, as the LSTM does from the order), the periods since the last active one, the static features and the label.',
  category: 'model',
  inputs: {
    table: 'table',
    extra: optional('table', 'More activity'),
    customers: optional('table', 'Customers'),
    static: optional('table', 'Static features'),
  },
  outputs: { sequences: 'sequences', totals: 'table' },
  params: {
    idColumn: column('customer_id', { label: 'Customer id', help: 'The customer id column of the activity table(s).' }),
    timeColumn: column('timestamp', { label: 'Time', help: 'When each row happened (dates or date-times, read as UTC).' }),
    period: oneOf(PERIODS, 'week', { label: 'Period', help: 'Length of one step of the sequence.' }),
    steps: integer(12, { label: 'Steps', min: 1, max: 520, help: 'Number of periods T before the cutoff.' }),
    countRows: boolean(true, { label: 'Count rows', help: 'One feature per table: the number of rows in each period.' }),
    countBy: column('', { label: 'Count by', optional: true, help: 'A category column (e.g. event): one count per value, for its most frequent values.' }),
    values: columnChoices(AGGREGATIONS, {}, { label: 'Value columns', numeric: true, help: 'Numeric columns summarised per period by count, sum or mean.' }),
    cutoff: date('', { label: 'Cutoff', help: 'First day of the label window; the observed window ends the day before (this day is not included in the sequences).', group: 'Time' }),
    horizonEnd: date('', { label: 'Horizon end', help: 'Last day of the label window (this day is included): a purchase from the cutoff through this day labels 1.', group: 'Time' }),
    labelSource: oneOf(['horizon', 'column', 'none'], 'horizon', {
      label: 'Label',
      help: 'horizon: 1 when the customer has a row of the first table between cutoff and horizon end; column: a 0/1 column of the customers table; none: unlabelled (for scoring).',
      group: 'Label',
    }),
    positiveColumn: column('', { label: 'Purchase when > 0', optional: true, numeric: true, help: 'Only horizon rows where this column is above 0 count as a purchase (e.g. quantity, so returns do not).', group: 'Label', showIf: { labelSource: ['horizon'] } }),
    labelColumn: column('', { label: 'Label column', optional: true, from: 'customers', help: 'A 0/1 column of the customers table.', group: 'Label', showIf: { labelSource: ['column'] } }),
    customerIdColumn: column('', { label: 'Customers id', optional: true, from: 'customers', help: 'Id column of the customers table (default: the same name as the activity id).', group: 'Customers' }),
    staticColumns: columns([], { label: 'Static features', numeric: true, from: 'static', help: 'Per-customer numbers (e.g. recency, frequency, monetary, score) appended to every step.', group: 'Static' }),
    staticIdColumn: column('', { label: 'Static id', optional: true, from: 'static', help: 'Id column of the static table (default: the same name as the activity id).', group: 'Static' }),
    scaling: oneOf(SCALING_METHODS, 'log-standard', { label: 'Scaling', help: 'Scaler the lstm node fits on each training fold: signed log1p then z-score, z-score only, or none.' }),
  },
  messages: {
    cutoffMissing: error('Set a cutoff date: the sequences end there and the label window starts there.'),
    horizonMissing: error('Set a horizon end after the cutoff {cutoff}: labels come from purchases between the two.'),
    horizonBeforeCutoff: error('The horizon end {horizonEnd} must be on or after the cutoff {cutoff}.'),
    noTimes: error('Column {column} has no readable dates or times, so no row can be placed before or after the cutoff.'),
    cutoffBeforeData: error('The cutoff {cutoff} is on or before the first activity ({first}): there is nothing to build sequences from.'),
    horizonAfterData: error('The horizon {cutoff} to {horizonEnd} starts after the last activity ({last}): no purchase can be seen, so every label would be 0.'),
    horizonPastData: warning('The horizon ends {horizonEnd}, after the last activity ({last}); purchases after that date cannot be seen.'),
    rowsAfterHorizon: warning('{count} rows are after the horizon end {horizonEnd} (up to {last}); they are in neither the sequences nor the labels.'),
    noCustomers: error('No customer has an id and activity before the cutoff {cutoff}.'),
    noFeatures: error('No features: turn on Count rows, pick a Count by column or add value columns.'),
    labelColumnNeeded: error('Label "column" needs a customers table connected and its Label column chosen.'),
    badLabel: error('Label column {column} holds {value} for customer {id}; labels must be 0/1, true/false or yes/no.'),
    missingLabels: warning('{count} customers have no label (left unknown; the lstm node trains without them and scores them).'),
    singleClass: warning('Every label is {label}: a model cannot learn to tell customers apart.'),
    badTimes: warning('{count} rows have no readable time in column {column} and were skipped.'),
    missingIds: warning('{count} rows have no customer id and were skipped.'),
    badValues: warning('{count} values that are not numbers were skipped when summarising {columns}.'),
    unknownIds: warning('{count} activity rows belong to ids that are not in the customers table and were skipped.'),
    duplicateCustomers: warning('{count} customer ids appear more than once in the customers table; the first row of each is used.'),
    countByCapped: warning('Column {column} has {count} values; only the {kept} most frequent become features.'),
    staticMissing: warning('{count} customers have no row (or a non-numeric value) in the static table; the column mean was used.'),
    staticEmpty: error('Static column {column} has no numeric value for any customer.'),
    noActivity: warning('{count} of {total} customers have no activity in the {steps} periods before the cutoff (all-zero sequences).'),
  },
  zh: {
    label: '序列构建',
    description: '把每位客户的行为按时间段整理为 LSTM 的输入序列。totals 表为每位客户一行，供表格模型（分类节点）在相同客户和标签上使用：每个特征在整个窗口及其最后四分之一内的合计（让树模型也能看到近期性，LSTM 则从时间顺序中读出）、距最后一个活跃时间段的段数、静态特征和标签。',
    params: {
      idColumn: { label: '客户 ID', help: '活动表中的客户 ID 列。' },
      timeColumn: { label: '时间', help: '每行发生的时间（日期或日期时间，按 UTC 读取）。' },
      period: { label: '时间段', help: '序列中每一步的时长。' },
      steps: { label: '步数', help: '截止日期之前的时间段个数 T。' },
      countRows: { label: '统计行数', help: '每张表一个特征：每个时间段内的行数。' },
      countBy: { label: '按类别计数', help: '一个类别列（例如 event）：对其中最常见的取值，每个取值各计一个数。' },
      values: { label: '数值列', help: '每个时间段内按 count（计数）、sum（求和）或 mean（均值）汇总的数值列。' },
      cutoff: { label: '截止日期', help: '标签窗口的第一天；观察窗口到前一天为止（序列不含这一天）。' },
      horizonEnd: { label: '预测窗口结束', help: '标签窗口的最后一天（含当天）：从截止日期到这一天（含）有购买即标记为 1。' },
      labelSource: { label: '标签', help: 'horizon：客户在截止日期与预测窗口结束之间在第一张表中有记录则为 1；column：customers 表中的一个 0/1 列；none：无标签（用于打分）。' },
      positiveColumn: { label: '大于 0 时算作购买', help: '预测窗口内只有该列大于 0 的行才算作购买（例如 quantity，这样退货不计入）。' },
      labelColumn: { label: '标签列', help: 'customers 表中的一个 0/1 列。' },
      customerIdColumn: { label: '客户表 ID 列', help: 'customers 表的 ID 列（默认：与活动表的 ID 列同名）。' },
      staticColumns: { label: '静态特征', help: '每位客户的数值（例如 recency、frequency、monetary、score），附加到每一步上。' },
      staticIdColumn: { label: '静态表 ID 列', help: 'static 表的 ID 列（默认：与活动表的 ID 列同名）。' },
      scaling: { label: '缩放', help: 'lstm 节点在每个训练折上拟合的缩放方式：log-standard 为带符号的 log1p 后再做 z-score 标准化；standard 仅做 z-score 标准化；none 不缩放。' },
    },
    groups: { Time: '时间', Label: '标签', Customers: '客户表', Static: '静态特征' },
    messages: {
      cutoffMissing: '请设置截止日期：序列在该日期结束，标签窗口从该日期开始。',
      horizonMissing: '请设置晚于截止日期 {cutoff} 的预测窗口结束日期：标签来自两者之间的购买。',
      horizonBeforeCutoff: '预测窗口结束日期 {horizonEnd} 不能早于截止日期 {cutoff}。',
      noTimes: '列 {column} 中没有可读的日期或时间，因此无法判断任何一行在截止日期之前还是之后。',
      cutoffBeforeData: '截止日期 {cutoff} 不晚于最早的活动（{first}）：没有可用于构建序列的数据。',
      horizonAfterData: '预测窗口 {cutoff} 至 {horizonEnd} 开始于最后一次活动（{last}）之后：看不到任何购买，所有标签都将为 0。',
      horizonPastData: '预测窗口结束于 {horizonEnd}，晚于最后一次活动（{last}）；该日期之后的购买无法观察到。',
      rowsAfterHorizon: '{count} 行在预测窗口结束日 {horizonEnd} 之后（直到 {last}）；它们既不进入序列也不进入标签。',
      noCustomers: '截止日期 {cutoff} 之前没有任何客户同时具有 ID 和活动记录。',
      noFeatures: '没有特征：请打开“统计行数”，选择“按类别计数”的列，或添加数值列。',
      labelColumnNeeded: '标签来源 "column" 需要连接 customers 表并选择其标签列。',
      badLabel: '标签列 {column} 中客户 {id} 的值为 {value}；标签必须是 0/1、true/false 或 yes/no。',
      missingLabels: '{count} 位客户没有标签（保留为未知；lstm 节点训练时不使用他们，但会为他们打分）。',
      singleClass: '所有标签都是 {label}：模型无法学会区分客户。',
      badTimes: '{count} 行在列 {column} 中没有可读的时间，已跳过。',
      missingIds: '{count} 行没有客户 ID，已跳过。',
      badValues: '汇总 {columns} 时跳过了 {count} 个不是数字的值。',
      unknownIds: '{count} 行活动记录所属的 ID 不在 customers 表中，已跳过。',
      duplicateCustomers: '{count} 个客户 ID 在 customers 表中出现多次；每个 ID 使用第一行。',
      countByCapped: '列 {column} 有 {count} 个不同取值；只有最常见的 {kept} 个成为特征。',
      staticMissing: '{count} 位客户在静态特征表中没有对应行（或值不是数值）；已使用该列的均值。',
      staticEmpty: '静态特征列 {column} 对任何客户都没有数值。',
      noActivity: '{total} 位客户中有 {count} 位在截止日期前的 {steps} 个时间段内没有活动（序列全为 0）。',
    },
  },
  async run({ table, extra, customers, static: statics }, params, ctx) {
    const tables: { port: string; table: ColumnTable }[] = [{ port: 'table', table }];
    if (extra) tables.push({ port: 'extra', table: extra });
    // Column checks come first so a misnamed column is always the message a person sees.
    for (const t of tables) {
      requireColumns(t.table, [params.idColumn], 'idColumn');
      requireColumns(t.table, [params.timeColumn], 'timeColumn');
    }
    const valueColumns = Object.keys(params.values);
    for (const name of valueColumns) if (!tables.some((t) => t.table.columnNames().includes(name))) requireColumns(table, [name], 'values');
    if (params.countBy !== '' && !tables.some((t) => t.table.columnNames().includes(params.countBy))) requireColumns(table, [params.countBy], 'countBy');
    if (params.labelSource === 'horizon' && params.positiveColumn !== '') requireColumns(table, [params.positiveColumn], 'positiveColumn');
    const customerId = params.customerIdColumn === '' ? params.idColumn : params.customerIdColumn;
    if (customers) {
      requireColumns(customers, [customerId], 'customerIdColumn');
      if (params.labelSource === 'column' && params.labelColumn !== '') requireColumns(customers, [params.labelColumn], 'labelColumn');
    }
    const staticId = params.staticIdColumn === '' ? params.idColumn : params.staticIdColumn;
    if (statics && params.staticColumns.length > 0) requireColumns(statics, [staticId, ...params.staticColumns], 'staticColumns');

    if (params.cutoff === '') ctx.fail('cutoffMissing', {}, 'cutoff');
    const cutoffMs = Date.parse(`${params.cutoff}T00:00:00Z`);
    let horizonEndMs = Number.NaN;
    if (params.labelSource === 'horizon') {
      if (params.horizonEnd === '') ctx.fail('horizonMissing', { cutoff: params.cutoff }, 'horizonEnd');
      // The named end day is included: the window runs to the next midnight.
      horizonEndMs = Date.parse(`${params.horizonEnd}T00:00:00Z`) + 86_400_000;
      if (!(horizonEndMs > cutoffMs)) ctx.fail('horizonBeforeCutoff', { horizonEnd: params.horizonEnd, cutoff: params.cutoff }, 'horizonEnd');
    }
    if (params.labelSource === 'column' && (!customers || params.labelColumn === '')) ctx.fail('labelColumnNeeded', {}, 'labelColumn');

    // Activity sources: ids, times and features per table.
    const activity = tables.map((t) => ({ prefix: tables.length > 1 ? `${t.port}_` : '', table: t.table }));
    const { sources, anyTime, countByValues } = activitySources(activity, params.idColumn, params.timeColumn, { countRows: params.countRows, countBy: params.countBy, values: params.values }, () => ctx.checkCancelled());
    for (const count of countByValues) if (count > MAX_COUNT_BY_VALUES) ctx.warn('countByCapped', { column: params.countBy, count, kept: MAX_COUNT_BY_VALUES });
    if (sources.every((s) => s.features.length === 0)) ctx.fail('noFeatures', {}, 'countRows');
    if (!anyTime) ctx.fail('noTimes', { column: params.timeColumn }, 'timeColumn');

    // The universe of customers: the customers table when connected, else ids active before the cutoff.
    const listed = customers ? customerUniverse(customers, customerId, params.labelSource === 'column' ? params.labelColumn : null) : null;
    if (listed?.badLabel) ctx.fail('badLabel', { column: params.labelColumn, value: String(listed.badLabel.value), id: listed.badLabel.id }, 'labelColumn');
    if (listed && listed.duplicates > 0) ctx.warn('duplicateCustomers', { count: listed.duplicates });

    const built = buildSequences(sources, { cutoffMs, period: params.period, steps: params.steps, universe: listed?.universe ?? null });
    const main = sources[0];
    const labelling = params.labelSource === 'horizon' && main ? (ids: readonly string[]) => horizonLabelling(main, ids, cutoffMs, horizonEndMs, params.positiveColumn === '' ? null : table.array(params.positiveColumn)) : null;
    return finishSequences(built, sources.flatMap((source) => source.features), labelling, listed?.labels ?? null, statics, params, ctx);
  },
  summary({ sequences: s }) {
    const { known, positives } = labelCounts(s.labels);
    const share = known > 0 ? ` · ${Math.round((100 * positives) / known)}% positive` : ' · unlabelled';
    return `${s.n.toLocaleString('en')} × ${s.steps} ${String(s.meta.period ?? 'step')}s × ${s.features} features${share}`;
  },
});

/** The sequence params finishSequences reads. */
export interface SequenceFinishParams {
  idColumn: string;
  timeColumn: string;
  cutoff: string;
  horizonEnd: string;
  period: string;
  steps: number;
  labelSource: 'horizon' | 'column' | 'none';
  values: Readonly<Record<string, unknown>>;
  staticColumns: readonly string[];
  staticIdColumn: string;
  scaling: string;
}

/**
 * From built sequences on: the checks and warnings on what was built, the labels (`labelling`
 * gives the horizon labels of the first table; `listedLabels` those of a customers table),
 * the static features and the sequences value. Shared by the node and its SQL run
 * (src/sql/sequence.ts), which builds the same BuiltSequences from per-customer-period sums.
 */
export function finishSequences(built: BuiltSequences, activity: readonly ActivityFeature[], labelling: ((ids: readonly string[]) => { labels: Float32Array; rowsInHorizon: number; rowsAfter: number }) | null, listedLabels: Float32Array | null, statics: ColumnTable | undefined, params: SequenceFinishParams, ctx: NodeContext): { sequences: Sequences; totals: ColumnTable } {
  const cutoffMs = Date.parse(`${params.cutoff}T00:00:00Z`);
  const horizonEndMs = params.labelSource === 'horizon' ? Date.parse(`${params.horizonEnd}T00:00:00Z`) + 86_400_000 : Number.NaN;
  const valueColumns = Object.keys(params.values);
  const staticId = params.staticIdColumn === '' ? params.idColumn : params.staticIdColumn;
  ctx.progress(0.6, 'sequences built');
  const { min: first, max: last } = built.timeRange;
  if (!(first < cutoffMs)) ctx.fail('cutoffBeforeData', { cutoff: params.cutoff, first: dayText(first) }, 'cutoff');
  if (built.n === 0) ctx.fail('noCustomers', { cutoff: params.cutoff }, 'cutoff');
  if (built.counts.badTime > 0) ctx.warn('badTimes', { count: built.counts.badTime, column: params.timeColumn });
  if (built.counts.missingId > 0) ctx.warn('missingIds', { count: built.counts.missingId });
  if (built.counts.badValue > 0) ctx.warn('badValues', { count: built.counts.badValue, columns: valueColumns.join(', ') });
  if (built.counts.unknownId > 0) ctx.warn('unknownIds', { count: built.counts.unknownId });
  const idle = built.activeRows.filter((rows) => rows === 0).length;
  if (idle > 0) ctx.warn('noActivity', { count: idle, total: built.n, steps: params.steps });

  // Labels.
  let labels: Float32Array;
  let rowsInHorizon = 0;
  switch (params.labelSource) {
    case 'horizon': {
      if (!labelling) return ctx.fail('noFeatures', {}, 'countRows');
      if (!(last >= cutoffMs)) ctx.fail('horizonAfterData', { cutoff: params.cutoff, horizonEnd: params.horizonEnd, last: dayText(last) }, 'cutoff');
      if (last < horizonEndMs - 86_400_000) ctx.warn('horizonPastData', { horizonEnd: params.horizonEnd, last: dayText(last) });
      const result = labelling(built.ids);
      labels = result.labels;
      rowsInHorizon = result.rowsInHorizon;
      if (result.rowsAfter > 0) ctx.warn('rowsAfterHorizon', { count: result.rowsAfter, horizonEnd: params.horizonEnd, last: dayText(last) });
      break;
    }
    case 'column':
      labels = listedLabels ?? new Float32Array(built.n).fill(Number.NaN);
      break;
    case 'none':
      labels = new Float32Array(built.n).fill(Number.NaN);
      break;
    default:
      return assertNever(params.labelSource);
  }
  if (params.labelSource !== 'none') {
    const { missing, known, positives } = labelCounts(labels);
    if (missing > 0) ctx.warn('missingLabels', { count: missing });
    if (known > 0 && (positives === 0 || positives === known)) ctx.warn('singleClass', { label: positives === 0 ? 0 : 1 });
  }

  // Static features appended to every step.
  const withStatic = statics && params.staticColumns.length > 0 ? withStaticFeatures(built, statics, staticId, params.staticColumns) : null;
  if (withStatic && withStatic.empty !== null) ctx.fail('staticEmpty', { column: withStatic.empty }, 'staticColumns');
  if (withStatic && withStatic.filled > 0) ctx.warn('staticMissing', { count: withStatic.filled });
  const { x, featureNames } = withStatic ?? built;

  const sequences: Sequences = {
    x,
    n: built.n,
    steps: built.steps,
    features: featureNames.length,
    labels,
    ids: built.ids,
    featureNames,
    stepLabels: built.stepLabels,
    meta: {
      cutoff: params.cutoff,
      horizonEnd: params.labelSource === 'horizon' ? params.horizonEnd : null,
      period: params.period,
      labelSource: params.labelSource,
      scaling: params.scaling,
      staticFeatures: withStatic ? [...params.staticColumns] : [],
      activityFeatures: built.features,
      featureText: sequenceFeatureTexts([{ features: [...activity] }], withStatic ? params.staticColumns : []),
      rowsUsed: built.counts.used,
      rowsBeforeWindow: built.counts.beforeWindow,
      rowsAfterCutoff: built.counts.afterCutoff,
      rowsInHorizon,
      customersWithoutActivity: idle,
    },
  };
  const summaries = windowSummaries(x, built.n, built.steps, featureNames.length, activity, recentSteps(built.steps));
  ctx.progress(1);
  return { sequences, totals: totalsTable(built.ids, params.idColumn, summaries, withStatic ? { names: params.staticColumns, values: withStatic.values } : null, labels) };
}
