import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { decide } from '../../nodes/decide.ts';
import type { SegmentsValue } from '../../nodes/define.ts';
import { highValueCut, lifetimeRuleFor, LIFETIME_RULES } from '../../src/ml/lifetime-rules.ts';
import { numbers, runError, runNode, strings, values } from './decision-harness.ts';

const segments = (): SegmentsValue => ({
  assignments: table({ id: ['a', 'b', 'c', 'd', 'e'], segment: [1, 1, 1, 2, 2] }),
  profiles: table({ segment: [1, 2], name: ['One', 'Two'], z_recency_days: [1.5, -1], z_monetary: [0, 1.2], z_tenure_days: [0, 0] }),
  curves: table({ k: [2] }),
  detail: {},
});
const predictions = () => table({ id: ['a', 'b', 'c', 'd', 'e'], score: [0.5, 0.4, 0.3, 0.2, 0.9], label: [1, 0, 0, 1, 0], fold: [0, 0, 0, 0, 0] });
// CLV 900 (top 20% of 5 = 1 customer: a), P(alive) 0.3 → win back; d: low value, P(alive) 0.1 < 0.2 → let go.
const lifetime = () => table({ id: ['a', 'b', 'c', 'd', 'e'], clv: [900, 100, 50, 20, 300], p_alive: [0.3, 0.9, 0.45, 0.1, 0.8] });

describe('lifetime rules', () => {
  it('cut the top share of customers by CLV and fire in declared order', () => {
    expect(highValueCut([900, 100, 50, 20, 300], 0.2)).toBe(900);
    expect(highValueCut([900, 100, 50, 20, 300], 0.4)).toBe(300);
    expect(highValueCut([Number.NaN], 0.2)).toBeNull();
    const o = { aliveThreshold: 0.5, highValueShare: 0.2 };
    expect(lifetimeRuleFor(900, 0.3, 900, o)?.rule).toBe('win-back-valuable');
    expect(lifetimeRuleFor(900, 0.6, 900, o)).toBeNull();
    expect(lifetimeRuleFor(50, 0.19, 900, o)?.rule).toBe('let-go');
    expect(lifetimeRuleFor(50, 0.21, 900, o)).toBeNull();
    expect(lifetimeRuleFor(null, 0.1, 900, o)).toBeNull();
    expect(LIFETIME_RULES.map((r) => r.rule)).toEqual(['win-back-valuable', 'let-go']);
  });
});

describe('decide node with a lifetime table', () => {
  it('ranks by P(purchase) × CLV and applies the lifetime rules before the segment strategy', async () => {
    const { outputs } = await runNode(decide, { predictions: predictions(), segments: segments(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: lifetime() });
    const a = outputs.actions;
    // Priorities: a 450, b 40, c 15, d 4, e 270.
    expect(strings(a, 'id')).toEqual(['a', 'e', 'b', 'c', 'd']);
    expect(numbers(a, 'value')).toEqual([900, 300, 100, 50, 20]);
    expect(numbers(a, 'p_alive')).toEqual([0.3, 0.8, 0.9, 0.45, 0.1]);
    expect(strings(a, 'lifetime_rule')).toEqual(['win-back-valuable', '', '', '', 'let-go']);
    // Segment 1 wins back by recency, segment 2 retains by monetary; the customer rules override for a and d.
    expect(strings(a, 'strategy')).toEqual(['Win back', 'Retain the most valuable', 'Win back', 'Win back', 'Let go']);
    expect(strings(outputs.rules, 'rule').slice(0, 2)).toEqual(['win-back-valuable', 'let-go']);
    expect(strings(outputs.rules, 'condition').slice(0, 2)).toEqual(['CLV ≥ 900.00 (top 20%) and P(alive) < 0.5', 'CLV < 900.00 and P(alive) < 0.2']);
  });

  it('warns about segmented customers missing from the lifetime table and names the missing columns', async () => {
    const partial = table({ id: ['a', 'b'], clv: [900, 100], p_alive: [0.3, 0.9] });
    const { warnings, outputs } = await runNode(decide, { predictions: predictions(), segments: segments(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: partial });
    expect(warnings.map((w) => w.message)).toContain('3 of 5 segmented customers have no P(alive) in the lifetime table; only their segment’s strategy applies.');
    expect(values(outputs.actions, 'p_alive').filter((v) => v === null)).toHaveLength(3);
    const failed = await runError(runNode(decide, { predictions: predictions(), segments: segments(), scores: undefined, recommendations: undefined, customers: undefined, lifetime: table({ id: ['a'], clv: [1] }) }));
    expect(failed.code).toBe('column.missing');
    expect(failed.message).toContain('"p_alive"');
  });
});
