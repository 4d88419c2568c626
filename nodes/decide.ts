/**
 * Decide (decision support): joins predictions, segments, an optional value (monetary or the
 * weighted score) and optional recommendations into an action table, and picks a strategy per
 * segment by declared rules read from the segment profile.
 *
 * Strategy rules (STRATEGY_RULES, also emitted as the `rules` output): tried in order, the first
 * whose condition holds for a segment fires. A condition compares the segment's z-score of a
 * role's column (profiles' `z_<column>`, roles as the segment node assigns them by column name)
 * with ±threshold; the last rule always holds. A rule whose role has no column in the profile
 * cannot fire, and the strategies table says so.
 *
 * Action table: one row per segmented customer, then one per customer with a prediction but no
 * segment (segment empty, strategy NO_SEGMENT_RULE), ranked by priority = purchase probability ×
 * value (value = `valueColumn` from the customers or scores input, the weighted score, or 1),
 * highest first; customers without a prediction or a value have no priority and come last.
 * Each row carries its segment's strategy, the customer's top recommendations and, with an
 * explanations input, the reasons for their score (en and zh). Every column
 * is a plain value, so the table exports as CSV as it is.
 *
 * With a lifetime table connected (the clv node's customers: id, clv, p_alive), CLV is the
 * customer value and the customer-level LIFETIME_RULES (src/ml/lifetime-rules.ts, e.g. high
 * value and P(alive) < 0.5 → win back) are tried before the segment's strategy.
 */
import { table as makeTable, type ColumnTable } from 'arquero';
import { defineNode, error, warning, optional, requireColumns, column, integer, number, oneOf } from './define.ts';
import type { NodeContext } from '../src/engine/node.ts';
import { cellKey, meanByKey } from '../src/data/cells.ts';
import { assignmentIdColumn } from '../src/data/segment-assignments.ts';
import { topItemsById } from '../src/ml/recommend-report.ts';
import { chooseStrategy, conditionText, NO_SEGMENT_RULE, segmentStrategies, STRATEGY_RULES } from '../src/ml/segment-strategy.ts';
import { highValueCut, LIFETIME_RULES, lifetimeConditionText, lifetimeRuleFor } from '../src/ml/lifetime-rules.ts';
import { reasonColumns } from '../src/ml/explain-reasons.ts';

const params = {
  value: oneOf(['monetary', 'score', 'none'], 'monetary', { label: 'Customer value', help: 'monetary: a value column from the customers (or scores) input; score: the weighted score; none: rank by purchase probability alone. With a lifetime table connected, CLV is the value.' }),
  valueColumn: column('monetary', { label: 'Value column', from: 'customers', showIf: { value: ['monetary'] }, optional: true }),
  idColumn: column('customer_id', { label: 'Customer id column (customers and scores inputs)', from: 'customers' }),
  scoreColumn: column('score', { label: 'Score column (scores input)', from: 'scores' }),
  threshold: number(0.5, { min: 0, max: 5, step: 0.1, label: 'Rule threshold (z)', help: 'How many standard deviations from the average a segment must be for a rule to fire.' }),
  topRecommendations: integer(3, { min: 1, max: 10, label: 'Recommendations per customer' }),
  aliveThreshold: number(0.5, { min: 0, max: 1, step: 0.05, label: 'P(alive) threshold', help: 'Lifetime rules: below this a customer is probably lapsing (only with a lifetime table).' }),
  highValueShare: number(0.2, { min: 0, max: 1, step: 0.05, label: 'High-value share', help: 'Lifetime rules: the most valuable share of customers by CLV counts as high value.' }),
};

/** The decide node: per-segment strategies by declared rules and a ranked, exportable action table. */
export const decide = defineNode({
  kind: 'decide',
  version: 1,
  label: 'Decide',
  description: 'Chooses a strategy per segment by declared rules and ranks customers by purchase probability × value, with their top recommendations.',
  category: 'decide',
  inputs: {
    predictions: 'predictions',
    segments: 'segments',
    scores: optional('table', 'Weighted scores'),
    recommendations: optional('recommendations'),
    customers: optional('table', 'Customer values (e.g. features)'),
    lifetime: optional('table', 'Lifetime value (clv customers: id, clv, p_alive)'),
    explanations: optional('explanations', 'Reasons per customer'),
  },
  outputs: { actions: 'table', strategies: 'table', rules: 'table' },
  params,
  messages: {
    noValue: error('Customer value "monetary" needs column {column} in the customers or scores input; connect one, or choose value "score" or "none".'),
    noScores: error('Customer value "score" needs the scores input (the weight node\u2019s table).'),
    noCustomers: warning('The segments input lists no customer.'),
    missingPrediction: warning('{count} of {rows} segmented customers have no purchase probability; they have no priority and are listed last.'),
    missingValue: warning('{count} of {rows} segmented customers have no value in {column}; they have no priority and are listed last.'),
    unsegmented: warning('{count} customers with a prediction are in no segment; they are listed under “No segment” with the strategy “Reach outside the segments”.'),
    unsegmentedNoValue: warning('Customers in no segment without a value in {column}: {count} of {rows} (customers without a purchase have none); they have no priority, count for nothing in “No segment”’s expected value, and are listed last.'),
    missingLifetime: warning('{count} of {rows} segmented customers have no P(alive) in the lifetime table; only their segment’s strategy applies.'),
  },
  zh: {
    label: '决策',
    description: '结合意向得分与分群，给出每位客户的行动建议。',
    params: {
      value: { label: '客户价值', help: 'monetary：customers（或 scores）输入中的价值列；score：加权得分；none：只按购买概率排序。连接了终身价值表时，以 CLV 作为价值。' },
      valueColumn: { label: '价值列' },
      idColumn: { label: '客户 ID 列（customers 与 scores 输入）' },
      scoreColumn: { label: '得分列（scores 输入）' },
      threshold: { label: '规则阈值（z）', help: '分群需偏离平均值多少个标准差，规则才会触发。' },
      topRecommendations: { label: '每位客户的推荐数' },
      aliveThreshold: { label: '存活概率阈值', help: '终身价值规则：低于此值的客户很可能正在流失（仅在连接了终身价值表时）。' },
      highValueShare: { label: '高价值占比', help: '终身价值规则：按 CLV 排名最高的这一比例客户视为高价值。' },
    },
    messages: {
      noValue: '客户价值 "monetary" 需要 customers 或 scores 输入中有列 {column}；请连接其中之一，或把客户价值改为 "score" 或 "none"。',
      noScores: '客户价值 "score" 需要 scores 输入（weight 节点输出的表）。',
      noCustomers: 'segments 输入中没有任何客户。',
      missingPrediction: '{rows} 位已分群的客户中有 {count} 位没有购买概率；他们没有优先级，排在最后。',
      missingValue: '{rows} 位已分群的客户中有 {count} 位在 {column} 中没有值；他们没有优先级，排在最后。',
      unsegmented: '{count} 位有预测的客户不在任何分群中；他们列在“无分群”下，策略为“触达分群之外的客户”。',
      unsegmentedNoValue: '不在任何分群中、在 {column} 中没有值的客户：{rows} 位中有 {count} 位（尚未购买的客户没有此值）；他们没有优先级，不计入“无分群”的期望价值，并排在最后。',
      missingLifetime: '{rows} 位已分群的客户中有 {count} 位在终身价值表中没有存活概率；只适用其分群的策略。',
    },
  },
  async run(inputs, p, ctx: NodeContext) {
    const { predictions, segments } = inputs;
    requireColumns(predictions, ['id', 'score'], 'predictions');
    const assignments = segments.assignments;
    const idCol = assignmentIdColumn(assignments);
    requireColumns(assignments, [idCol, 'segment'], 'segments');

    // Value per customer.
    let values: Map<string, number> | null = null;
    let valueLabel = '1';
    const lifetime = inputs.lifetime;
    if (lifetime !== undefined) requireColumns(lifetime, ['id', 'clv', 'p_alive'], 'lifetime');
    const alive = lifetime === undefined ? null : meanByKey(lifetime, 'id', 'p_alive');
    const valueKind = lifetime === undefined ? p.value : 'clv';
    switch (valueKind) {
      case 'clv':
        values = lifetime === undefined ? null : meanByKey(lifetime, 'id', 'clv');
        valueLabel = 'clv';
        break;
      case 'monetary': {
        const source = [inputs.customers, inputs.scores].find((t) => t !== undefined && p.valueColumn !== '' && t.columnNames().includes(p.valueColumn));
        if (source === undefined) {
          if (inputs.customers !== undefined && p.valueColumn !== '') requireColumns(inputs.customers, [p.valueColumn], 'valueColumn');
          return ctx.fail('noValue', { column: p.valueColumn }, 'valueColumn');
        }
        requireColumns(source, [p.idColumn], 'idColumn');
        values = meanByKey(source, p.idColumn, p.valueColumn);
        valueLabel = p.valueColumn;
        break;
      }
      case 'score': {
        if (inputs.scores === undefined) return ctx.fail('noScores', {}, 'value');
        requireColumns(inputs.scores, [p.idColumn], 'idColumn');
        requireColumns(inputs.scores, [p.scoreColumn], 'scoreColumn');
        values = meanByKey(inputs.scores, p.idColumn, p.scoreColumn);
        valueLabel = p.scoreColumn;
        break;
      }
      case 'none':
        values = null;
        break;
      default: {
        const never: never = valueKind;
        throw new Error(`Unknown value kind ${String(never)}`);
      }
    }
    const ruleOptions = { aliveThreshold: p.aliveThreshold, highValueShare: p.highValueShare };
    const cut = alive !== null && values !== null ? highValueCut(values.values(), p.highValueShare) : null;
    const probability = meanByKey(predictions, 'id', 'score');

    // Strategy per segment from the profile's z-scores.
    const { bySegment: segmentStrategy, roles } = segmentStrategies(segments.profiles, p.threshold);
    const fallback = chooseStrategy({}, p.threshold);
    const noProfile = { ...fallback.rule, evidence: 'no profile row for this segment' };
    const noSegment = { ...NO_SEGMENT_RULE, evidence: 'not in the segments input' };
    const strategyOf = (segKey: string): { strategy: string; rule: string; evidence: string; action: string } => (segKey === '' ? noSegment : (segmentStrategy.get(segKey) ?? noProfile));

    // Top recommendations per customer, in rank order.
    if (inputs.recommendations !== undefined) requireColumns(inputs.recommendations, ['id', 'rank', 'item'], 'recommendations');
    const topItems = inputs.recommendations === undefined ? new Map<string, string>() : topItemsById(inputs.recommendations, p.topRecommendations);

    // One row per segmented customer.
    const getId = assignments.getter(idCol);
    const getSeg = assignments.getter('segment');
    const getSegName = assignments.columnNames().includes('segment_name') ? assignments.getter('segment_name') : null;
    interface Row { id: unknown; key: string; segment: unknown; segKey: string; name: string; p: number | null; v: number | null; priority: number | null; at: number; alive: number | null; rule: ReturnType<typeof lifetimeRuleFor> }
    const rows: Row[] = [];
    const seen = new Set<string>();
    const customerRow = (id: unknown, key: string, segment: unknown, segKey: string, name: string, at: number): Row => {
      const prob = probability.get(key) ?? null;
      const v = values === null ? 1 : (values.get(key) ?? null);
      const a = alive?.get(key) ?? null;
      return { id, key, segment, segKey, name, p: prob, v, priority: prob !== null && v !== null ? prob * v : null, at, alive: a, rule: alive === null ? null : lifetimeRuleFor(v, a, cut, ruleOptions) };
    };
    let noPrediction = 0;
    let noValue = 0;
    let noAlive = 0;
    for (let i = 0; i < assignments.numRows(); i++) {
      const idRaw: unknown = getId(i);
      const key = cellKey(idRaw);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const segRaw: unknown = getSeg(i);
      const segKey = cellKey(segRaw);
      const name = getSegName !== null ? cellKey(getSegName(i)) : (segmentStrategy.get(segKey)?.name ?? '');
      const row = customerRow(idRaw, key, segRaw, segKey, name, i);
      if (row.p === null) noPrediction++;
      else if (row.v === null) noValue++;
      if (alive !== null && row.alive === null) noAlive++;
      rows.push(row);
    }
    if (noAlive > 0) ctx.warn('missingLifetime', { count: noAlive, rows: rows.length });
    if (rows.length === 0) ctx.warn('noCustomers');
    if (noPrediction > 0) ctx.warn('missingPrediction', { count: noPrediction, rows: rows.length });
    if (noValue > 0) ctx.warn('missingValue', { count: noValue, rows: rows.length, column: valueLabel });
    // Customers with a prediction in no segment: listed under the no-segment rule, not dropped.
    const segmented = rows.length;
    const getPredId = predictions.getter('id');
    for (let i = 0; i < predictions.numRows(); i++) {
      const idRaw: unknown = getPredId(i);
      const key = cellKey(idRaw);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      rows.push(customerRow(idRaw, key, null, '', 'No segment', segmented + i));
    }
    if (rows.length > segmented) {
      ctx.warn('unsegmented', { count: rows.length - segmented });
      const unvalued = values === null ? 0 : rows.slice(segmented).filter((r) => r.p !== null && r.v === null).length;
      if (unvalued > 0) ctx.warn('unsegmentedNoValue', { count: unvalued, rows: rows.length - segmented, column: valueLabel });
    }
    ctx.checkCancelled();

    // Highest priority first; rows without one last, in input order (a stable, declared order).
    rows.sort((a, b) => {
      if (a.priority === null || b.priority === null) return a.priority === null ? (b.priority === null ? a.at - b.at : 1) : -1;
      return b.priority - a.priority || a.at - b.at;
    });
    const inSegment = new Map<string, number>();
    const actions = makeTable({
      rank: rows.map((_, i) => i + 1),
      id: rows.map((r) => r.id),
      segment: rows.map((r) => r.segment),
      segment_name: rows.map((r) => r.name),
      strategy: rows.map((r) => r.rule?.strategy ?? strategyOf(r.segKey).strategy),
      ...(alive === null ? {} : { p_alive: rows.map((r) => r.alive), lifetime_rule: rows.map((r) => r.rule?.rule ?? '') }),
      purchase_probability: rows.map((r) => r.p),
      value: rows.map((r) => (values === null ? null : r.v)),
      priority: rows.map((r) => r.priority),
      rank_in_segment: rows.map((r) => {
        const k = (inSegment.get(r.segKey) ?? 0) + 1;
        inSegment.set(r.segKey, k);
        return k;
      }),
      recommendations: rows.map((r) => topItems.get(r.key) ?? ''),
      ...(inputs.explanations ? reasonColumns(inputs.explanations.customers, rows.map((r) => r.key)) : {}),
    });

    // Strategies: one row per segment seen in the profiles or the assignments.
    const segKeys = [...new Set([...segmentStrategy.keys(), ...rows.map((r) => r.segKey)])];
    const bySeg = new Map<string, Row[]>();
    for (const r of rows) {
      const list = bySeg.get(r.segKey);
      if (list) list.push(r);
      else bySeg.set(r.segKey, [r]);
    }
    const mean = (xs: number[]): number | null => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const strategies = makeTable({
      segment: segKeys.map((k) => (k === '' ? null : (bySeg.get(k)?.[0]?.segment ?? k))),
      name: segKeys.map((k) => segmentStrategy.get(k)?.name || bySeg.get(k)?.[0]?.name || ''),
      customers: segKeys.map((k) => bySeg.get(k)?.length ?? 0),
      strategy: segKeys.map((k) => strategyOf(k).strategy),
      rule: segKeys.map((k) => strategyOf(k).rule),
      evidence: segKeys.map((k) => strategyOf(k).evidence),
      action: segKeys.map((k) => strategyOf(k).action),
      drivers: segKeys.map((k) => segmentStrategy.get(k)?.drivers ?? ''),
      drivers_zh: segKeys.map((k) => segmentStrategy.get(k)?.driversZh ?? ''),
      mean_purchase_probability: segKeys.map((k) => mean((bySeg.get(k) ?? []).flatMap((r) => (r.p === null ? [] : [r.p])))),
      expected_value: segKeys.map((k) => {
        const ps = (bySeg.get(k) ?? []).flatMap((r) => (r.priority === null ? [] : [r.priority]));
        return ps.length > 0 ? ps.reduce((a, b) => a + b, 0) : null;
      }),
    });
    // Lifetime rules (per customer, tried first) when connected, then the segment rules.
    const lifetimeRules = alive === null ? [] : LIFETIME_RULES;
    const rules = makeTable({
      order: [...lifetimeRules, ...STRATEGY_RULES, NO_SEGMENT_RULE].map((_, i) => i + 1),
      rule: [...lifetimeRules.map((r) => r.rule), ...STRATEGY_RULES.map((r) => r.rule), NO_SEGMENT_RULE.rule],
      condition: [...lifetimeRules.map((r) => lifetimeConditionText(r, ruleOptions, cut)), ...STRATEGY_RULES.map((r) => conditionText(r, p.threshold)), NO_SEGMENT_RULE.condition],
      column: [...lifetimeRules.map(() => 'clv, p_alive'), ...STRATEGY_RULES.map((r) => (r.role === null ? '' : (roles[r.role] ?? 'no column'))), ''],
      strategy: [...lifetimeRules.map((r) => r.strategy), ...STRATEGY_RULES.map((r) => r.strategy), NO_SEGMENT_RULE.strategy],
      action: [...lifetimeRules.map((r) => r.action), ...STRATEGY_RULES.map((r) => r.action), NO_SEGMENT_RULE.action],
    });
    ctx.progress(1);
    return { actions, strategies, rules };
  },
  summary(outputs) {
    // The no-segment group (the strategies row whose segment is empty) is not a segment; the node's warning counts its customers.
    const segments = Array.from(outputs.strategies.array('segment')).filter((s) => s !== null).length;
    return `${outputs.actions.numRows()} customers · ${segments} segments`;
  },
});
