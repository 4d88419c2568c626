import { describe, expect, it } from 'vitest';
import { table, toCSV } from 'arquero';
import { decide } from '../../nodes/decide.ts';
import { chooseStrategy, NO_SEGMENT_RULE, STRATEGY_RULES } from '../../src/ml/segment-strategy.ts';
import { segment } from '../../nodes/segment.ts';
import type { SegmentsValue } from '../../nodes/define.ts';
import { runNode, runError, numbers, strings, values } from './decision-harness.ts';
import { defaultParams } from '../../src/engine/params.ts';

/** Four segments whose profiles each trigger a different rule. */
function segmentsValue(): SegmentsValue {
  return {
    assignments: table({
      id: ['a', 'b', 'c', 'd', 'e', 'f'],
      segment: [1, 1, 2, 3, 4, 4],
      segment_name: ['Recent high spenders', 'Recent high spenders', 'Lapsing one-timers', 'Newcomers', 'Average customers', 'Average customers'],
    }),
    profiles: table({
      segment: [1, 2, 3, 4],
      name: ['Recent high spenders', 'Lapsing one-timers', 'Newcomers', 'Average customers'],
      z_recency_days: [-1, 1.5, -0.6, 0.1],
      z_monetary: [1.2, -0.8, -0.4, 0.1],
      z_tenure_days: [0.3, 0.2, -1.2, 0.1],
    }),
    curves: table({ k: [4] }),
    detail: {},
  };
}

const predictions = () => table({ id: ['a', 'b', 'c', 'd', 'e', 'f'], score: [0.9, 0.5, 0.2, 0.6, 0.1, 0.4], label: [1, 0, 0, 1, 0, 0], fold: [1, 1, 2, 2, 3, 3] });
const customers = () => table({ customer_id: ['a', 'b', 'c', 'd', 'e', 'f'], monetary: [1000, 3000, 200, 50, 400, 100] });
const recommendations = () =>
  table({
    id: ['a', 'a', 'a', 'a', 'c', 'c'],
    rank: [2, 1, 3, 4, 1, 2],
    item: ['p2', 'p1', 'p3', 'p4', 'p9', 'p8'],
    score: [0.5, 0.6, 0.4, 0.3, 0.2, 0.1],
    reason: ['r', 'r', 'r', 'r', 'r', 'r'],
  });

describe('decide node', () => {
  it('ranks customers by purchase probability × value and joins their top-3 recommendations and segment strategy', async () => {
    const { outputs, warnings } = await runNode(decide, {
      predictions: predictions(),
      segments: segmentsValue(),
      scores: undefined,
      recommendations: recommendations(),
      customers: customers(),
      lifetime: undefined,
    });
    expect(warnings).toEqual([]);
    // Priorities: a 900, b 1500, c 40, d 30, e 40, f 40 → b, a, then c, e, f tied at 40 (input order), d.
    expect(outputs.actions.objects()).toEqual([
      { rank: 1, id: 'b', segment: 1, segment_name: 'Recent high spenders', strategy: 'Retain the most valuable', purchase_probability: 0.5, value: 3000, priority: 1500, rank_in_segment: 1, recommendations: '' },
      { rank: 2, id: 'a', segment: 1, segment_name: 'Recent high spenders', strategy: 'Retain the most valuable', purchase_probability: 0.9, value: 1000, priority: 900, rank_in_segment: 2, recommendations: 'p1; p2; p3' },
      { rank: 3, id: 'c', segment: 2, segment_name: 'Lapsing one-timers', strategy: 'Win back', purchase_probability: 0.2, value: 200, priority: 40, rank_in_segment: 1, recommendations: 'p9; p8' },
      { rank: 4, id: 'e', segment: 4, segment_name: 'Average customers', strategy: 'Upsell', purchase_probability: 0.1, value: 400, priority: 40, rank_in_segment: 1, recommendations: '' },
      { rank: 5, id: 'f', segment: 4, segment_name: 'Average customers', strategy: 'Upsell', purchase_probability: 0.4, value: 100, priority: 40, rank_in_segment: 2, recommendations: '' },
      { rank: 6, id: 'd', segment: 3, segment_name: 'Newcomers', strategy: 'Nurture new customers', purchase_probability: 0.6, value: 50, priority: 30, rank_in_segment: 1, recommendations: '' },
    ]);
  });

  it('carries each customer\'s reasons from an explanations input, in English and Chinese, and none for a customer it does not cover', async () => {
    const explanations = {
      customers: table({ id: ['a', 'b'], score: [0.9, 0.5], reason_1: ['visits in the last 4 weeks well above the average customer (raises the probability by 12.0 points)', 'no spend in the last 4 weeks (lowers the probability by 3.0 points)'], reason_1_zh: ['最近 4 周的 visits 远高于平均客户（使购买概率提高 12.0 个百分点）', '最近 4 周的 spend 为 0（使购买概率降低 3.0 个百分点）'], reason_2: ['spend before the last 4 weeks above the average customer (raises the probability by 1.5 points)', null], reason_2_zh: ['最近 4 周之前的 spend 高于平均客户（使购买概率提高 1.5 个百分点）', null] }),
      reasons: table({ id: [] }),
      importance: table({ kind: [] }),
      cells: { steps: 0, features: 0, featureNames: [], stepLabels: [], values: new Float32Array(0) },
      detail: {},
    };
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), customers: customers(), explanations });
    const ids = strings(outputs.actions, 'id');
    const reasons = strings(outputs.actions, 'reasons');
    const reasonsZh = strings(outputs.actions, 'reasons_zh');
    const of = (list: string[], id: string): string | undefined => list[ids.indexOf(id)];
    expect(of(reasons, 'a')).toBe('visits in the last 4 weeks well above the average customer (raises the probability by 12.0 points); spend before the last 4 weeks above the average customer (raises the probability by 1.5 points)');
    expect(of(reasonsZh, 'a')).toBe('最近 4 周的 visits 远高于平均客户（使购买概率提高 12.0 个百分点）；最近 4 周之前的 spend 高于平均客户（使购买概率提高 1.5 个百分点）');
    expect(of(reasons, 'b')).toBe('no spend in the last 4 weeks (lowers the probability by 3.0 points)');
    expect(of(reasons, 'c')).toBe('');
  });

  it('states per segment which declared rule fired and why', async () => {
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined });
    expect(outputs.strategies.objects()).toEqual([
      { segment: 1, name: 'Recent high spenders', customers: 2, strategy: 'Retain the most valuable', rule: 'retain-valuable', evidence: 'monetary z = +1.20 ≥ 0.5', action: STRATEGY_RULES[2]?.action, drivers: '', drivers_zh: '', mean_purchase_probability: 0.7, expected_value: 2400 },
      { segment: 2, name: 'Lapsing one-timers', customers: 1, strategy: 'Win back', rule: 'win-back', evidence: 'recency_days z = +1.50 ≥ 0.5', action: STRATEGY_RULES[1]?.action, drivers: '', drivers_zh: '', mean_purchase_probability: 0.2, expected_value: 40 },
      { segment: 3, name: 'Newcomers', customers: 1, strategy: 'Nurture new customers', rule: 'nurture-new', evidence: 'tenure_days z = −1.20 ≤ −0.5', action: STRATEGY_RULES[0]?.action, drivers: '', drivers_zh: '', mean_purchase_probability: 0.6, expected_value: 30 },
      { segment: 4, name: 'Average customers', customers: 2, strategy: 'Upsell', rule: 'upsell', evidence: 'none held: tenure_days z = +0.10; recency_days z = +0.10; monetary z = +0.10', action: STRATEGY_RULES[3]?.action, drivers: '', drivers_zh: '', mean_purchase_probability: 0.25, expected_value: 80 },
    ]);
    expect(outputs.rules.objects()).toEqual([
      { order: 1, rule: 'nurture-new', condition: 'z(tenure) ≤ −0.5', column: 'tenure_days', strategy: 'Nurture new customers', action: 'Onboarding journey and a second-purchase incentive.' },
      { order: 2, rule: 'win-back', condition: 'z(recency) ≥ 0.5', column: 'recency_days', strategy: 'Win back', action: 'Reactivation offer with a reminder of past favourites.' },
      { order: 3, rule: 'retain-valuable', condition: 'z(monetary) ≥ 0.5', column: 'monetary', strategy: 'Retain the most valuable', action: 'Loyalty perks, priority service and early access rather than discounts.' },
      { order: 4, rule: 'upsell', condition: 'always (no earlier rule held)', column: '', strategy: 'Upsell', action: 'Cross-sell the recommended products.' },
      { order: 5, rule: 'no-segment', condition: 'a prediction but no segment', column: '', strategy: NO_SEGMENT_RULE.strategy, action: NO_SEGMENT_RULE.action },
    ]);
  });

  it('moves a segment to a later rule when the threshold rises', async () => {
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined }, { threshold: 1.3 });
    expect(strings(outputs.strategies, 'rule')).toEqual(['upsell', 'win-back', 'upsell', 'upsell']);
  });

  it('ranks by the weighted score or by probability alone when asked', async () => {
    const scores = table({ customer_id: ['a', 'b', 'c', 'd', 'e', 'f'], score: [0.1, 0.2, 0.9, 0.5, 1, 0.5] });
    const byScore = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores, recommendations: undefined, customers: undefined, lifetime: undefined }, { value: 'score' });
    // p × score: a .09, b .1, c .18, d .3, e .1, f .2 — b and e tie and keep their input order.
    expect(strings(byScore.outputs.actions, 'id')).toEqual(['d', 'f', 'c', 'b', 'e', 'a']);
    const alone = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: undefined }, { value: 'none' });
    expect(strings(alone.outputs.actions, 'id')).toEqual(['a', 'd', 'b', 'f', 'c', 'e']);
    expect(values(alone.outputs.actions, 'value')).toEqual([null, null, null, null, null, null]);
  });

  it('lists customers without a prediction last, with no priority, and says how many', async () => {
    const partial = predictions().filter((d: { id: string }) => d.id !== 'a');
    const { outputs, warnings } = await runNode(decide, { predictions: partial, segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined });
    expect(strings(outputs.actions, 'id').at(-1)).toBe('a');
    expect(values(outputs.actions, 'priority').at(-1)).toBeNull();
    expect(warnings.map((w) => w.message)).toEqual(['1 of 6 segmented customers have no purchase probability; they have no priority and are listed last.']);
  });

  it('exports the action table as CSV with one line per customer', async () => {
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: recommendations(), customers: customers(), lifetime: undefined });
    const lines = toCSV(outputs.actions).trim().split('\n');
    expect(lines[0]).toBe('rank,id,segment,segment_name,strategy,purchase_probability,value,priority,rank_in_segment,recommendations');
    expect(lines[2]).toBe('2,a,1,Recent high spenders,Retain the most valuable,0.9,1000,900,2,p1; p2; p3');
    expect(lines).toHaveLength(7);
  });

  it('fails with declared messages when the value cannot be found', async () => {
    expect(await runError(runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: undefined }))).toEqual({
      code: 'decide.noValue',
      message: 'Customer value "monetary" needs column "monetary" in the customers or scores input; connect one, or choose value "score" or "none".',
      param: 'valueColumn',
    });
    expect((await runError(runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: undefined }, { value: 'score' }))).code).toBe('decide.noScores');
    const wrongId = await runError(runNode(decide, { predictions: predictions(), segments: segmentsValue(), scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined }, { idColumn: 'cid' }));
    expect(wrongId.code).toBe('column.missing');
    expect(wrongId.param).toBe('idColumn');
  });

  it('works from the segment node’s own output (names, z-scores and rules line up)', async () => {
    const feats = table({
      customer_id: ['a', 'b', 'c', 'd', 'e', 'f'],
      recency_days: [5, 6, 4, 7, 200, 210],
      monetary: [900, 1000, 1100, 950, 40, 50],
    });
    const seg = await runNode(segment, { table: feats, predictions: undefined, scores: undefined, original: undefined }, { chooseK: 'fixed', k: 2 });
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: seg.outputs.segments, scores: undefined, recommendations: undefined, customers: feats, lifetime: undefined });
    expect(strings(outputs.strategies, 'name')).toEqual(['Recent high spenders', 'Lapsing low spenders']);
    expect(strings(outputs.strategies, 'rule')).toEqual(['retain-valuable', 'win-back']);
    expect(strings(outputs.actions, 'id')).toEqual(['a', 'd', 'b', 'c', 'f', 'e']);
    // Each strategy says what sets its segment apart: the segment's drivers, in both languages.
    const profiles = seg.outputs.segments.profiles;
    expect(strings(outputs.strategies, 'drivers')).toEqual(strings(profiles, 'drivers'));
    expect(strings(outputs.strategies, 'drivers_zh')).toEqual(strings(profiles, 'drivers_zh'));
    expect(strings(outputs.strategies, 'drivers')[0]).toMatch(/monetary above average \(z \+0\.\d\d\)/);
    const priority = numbers(outputs.actions, 'priority');
    [0.9 * 900, 0.6 * 950, 0.5 * 1000, 0.2 * 1100, 0.4 * 50, 0.1 * 40].forEach((v, i) => expect(priority[i]).toBeCloseTo(v, 9));
  });
});

describe('decide with degenerate input', () => {
  it('lists every predicted customer under “No segment”, ranked by probability, when no customer is segmented', async () => {
    const empty: SegmentsValue = { assignments: table({ id: [], segment: [], segment_name: [] }), profiles: table({ segment: [], name: [] }), curves: table({ k: [] }), detail: {} };
    const { outputs, warnings } = await runNode(decide, { predictions: predictions(), segments: empty, scores: undefined, recommendations: undefined, customers: undefined, lifetime: undefined }, { value: 'none' });
    expect(strings(outputs.actions, 'id')).toEqual(['a', 'd', 'b', 'f', 'c', 'e']);
    expect(values(outputs.actions, 'segment')).toEqual([null, null, null, null, null, null]);
    expect(new Set(strings(outputs.actions, 'strategy'))).toEqual(new Set([NO_SEGMENT_RULE.strategy]));
    expect(outputs.strategies.objects()).toEqual([
      { segment: null, name: 'No segment', customers: 6, strategy: NO_SEGMENT_RULE.strategy, rule: 'no-segment', evidence: 'not in the segments input', action: NO_SEGMENT_RULE.action, drivers: '', drivers_zh: '', mean_purchase_probability: expect.closeTo(2.7 / 6, 12), expected_value: expect.closeTo(2.7, 12) },
    ]);
    expect(outputs.rules.numRows()).toBe(5);
    expect(decide.summary?.(outputs, defaultParams(decide.params))).toBe('6 customers · 0 segments');
    expect(warnings.map((w) => w.code)).toEqual(['decide.noCustomers', 'decide.unsegmented']);
    expect(warnings[1]?.message).toBe(`6 customers with a prediction are in no segment; they are listed under “No segment” with the strategy “${NO_SEGMENT_RULE.strategy}”.`);
  });

  it('lists a predicted customer outside the segments after the segmented ones, with their own rule', async () => {
    const seg = segmentsValue();
    const some: SegmentsValue = { ...seg, assignments: seg.assignments.filter((d: { id: string }) => d.id !== 'b') };
    const { outputs, warnings } = await runNode(decide, { predictions: predictions(), segments: some, scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined });
    const rows = outputs.actions.objects() as { id: string; segment: unknown; segment_name: string; strategy: string; priority: number | null }[];
    expect(rows.map((r) => r.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const b = rows.find((r) => r.id === 'b');
    expect(b).toMatchObject({ segment: null, segment_name: 'No segment', strategy: NO_SEGMENT_RULE.strategy });
    expect(warnings.map((w) => w.code)).toContain('decide.unsegmented');
  });

  it('says why the no-segment group has no expected value when its customers have no value', async () => {
    const seg = segmentsValue();
    const some: SegmentsValue = { ...seg, assignments: seg.assignments.filter((d: { id: string }) => d.id !== 'b' && d.id !== 'e') };
    // b and e are in no segment; e has a value, b has none (no purchase, so no customers row).
    const valued = customers().filter((d: { customer_id: string }) => d.customer_id !== 'b');
    const { outputs, warnings } = await runNode(decide, { predictions: predictions(), segments: some, scores: undefined, recommendations: undefined, customers: valued, lifetime: undefined });
    const none = warnings.find((w) => w.code === 'decide.unsegmentedNoValue');
    expect(none?.message).toBe('Customers in no segment without a value in "monetary": 1 of 2 (customers without a purchase have none); they have no priority, count for nothing in “No segment”’s expected value, and are listed last.');
    const rows = outputs.actions.objects() as { id: string; priority: number | null }[];
    expect(rows.at(-1)).toMatchObject({ id: 'b', priority: null });
    // With every unsegmented customer valued, no such warning.
    const all = await runNode(decide, { predictions: predictions(), segments: some, scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined });
    expect(all.warnings.map((w) => w.code)).not.toContain('decide.unsegmentedNoValue');
  });

  it('ranks one customer, and sends a segment of identical customers (every z = 0) to the catch-all rule', async () => {
    const one: SegmentsValue = {
      assignments: table({ id: ['a'], segment: [1], segment_name: ['Average customers'] }),
      profiles: table({ segment: [1], name: ['Average customers'], z_recency_days: [0], z_monetary: [0], z_tenure_days: [0] }),
      curves: table({ k: [1] }),
      detail: {},
    };
    const { outputs } = await runNode(decide, { predictions: predictions().filter((d: { id: string }) => d.id === 'a'), segments: one, scores: undefined, recommendations: undefined, customers: customers(), lifetime: undefined });
    expect(outputs.actions.objects()).toEqual([
      { rank: 1, id: 'a', segment: 1, segment_name: 'Average customers', strategy: 'Upsell', purchase_probability: 0.9, value: 1000, priority: 900, rank_in_segment: 1, recommendations: '' },
    ]);
    expect(strings(outputs.strategies, 'evidence')).toEqual(['none held: tenure_days z = +0.00; recency_days z = +0.00; monetary z = +0.00']);
  });
});

describe('strategy choice', () => {
  it('skips rules whose role has no column and says so', () => {
    const { rule, evidence } = chooseStrategy({ monetary: { column: 'spend', z: 0.2 } }, 0.5);
    expect(rule.rule).toBe('upsell');
    expect(evidence).toBe('none held: tenure: no column; recency: no column; spend z = +0.20');
  });
});
