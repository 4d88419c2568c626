import { describe, expect, it } from 'vitest';
import { itemsOf, ruleGraph, tableShape, topRules } from '../../src/studio/views/table-shapes.ts';

describe('table shapes', () => {
  it('recognise a rules table and a cohort table by their columns, and nothing else', () => {
    expect(tableShape(['rule', 'antecedent', 'consequent', 'support', 'confidence', 'lift'])).toBe('rules');
    expect(tableShape(['cohort', 'cohort_size', 'period', 'customers_active', 'retention'])).toBe('cohorts');
    expect(tableShape(['antecedent', 'lift'])).toBeNull();
  });

  it('sort rules by a chosen measure, highest first, ties in table order', () => {
    const rows = [{ lift: 2, confidence: 0.5 }, { lift: 3, confidence: 0.5 }, { lift: 1, confidence: 0.9 }];
    expect(topRules(rows, 'lift', 2)).toEqual([rows[1], rows[0]]);
    expect(topRules(rows, 'confidence', 3)).toEqual([rows[2], rows[0], rows[1]]);
  });

  it('lay out the strongest rules as arrows between items on a circle', () => {
    expect(itemsOf('{liquor, red/blush wine}')).toEqual(['liquor', 'red/blush wine']);
    expect(itemsOf('{}')).toEqual([]);
    const g = ruleGraph([{ antecedent: '{a, b}', consequent: '{c}', lift: 3 }, { antecedent: '{a}', consequent: '{d}', lift: 2 }]);
    expect(g.nodes.map((n) => [n.item, n.rules])).toEqual([['a', 2], ['b', 1], ['c', 1], ['d', 1]]);
    expect(g.nodes[0]).toMatchObject({ x: expect.closeTo(0, 12), y: -1 });
    expect(g.links.map((l) => [l.rule, l.lift])).toEqual([['{a, b} → {c}', 3], ['{a, b} → {c}', 3], ['{a} → {d}', 2]]);
  });
});
