/**
 * The recommend node's rules input: lists and reasons come from the rule model, rules naming
 * unknown products are counted, a wrong transform is refused, and the offline evaluation adds
 * the rule-based figures (rules mined again on the training part) beside item-item.
 */
import { escape, table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { recommend } from '../../nodes/recommend.ts';
import { rules } from '../../nodes/rules.ts';
import { InsightError } from '../../src/engine/errors.ts';
import { runNode } from './decision-harness.ts';

// Twelve baskets; bread and butter go together, jam follows bread + butter.
const baskets = () => {
  const rows: [number, string][] = [];
  const add = (b: number, items: string[]) => items.forEach((i) => rows.push([b, i]));
  for (let b = 1; b <= 6; b++) add(b, ['bread', 'butter', ...(b <= 4 ? ['jam'] : [])]);
  for (let b = 7; b <= 10; b++) add(b, ['milk', 'tea']);
  add(11, ['bread', 'butter', 'milk']);
  add(12, ['bread', 'milk']);
  return table({ basket: rows.map((r) => r[0]), item: rows.map((r) => r[1]) });
};

const params = { customerColumn: 'basket', productColumn: 'item', quantityColumn: '', basketColumn: '', timeColumn: '', holdout: 'random-item', n: 2 } as const;

describe('recommend node with a rules input', () => {
  it('recommends by the rules with a reason naming them, popularity filling the rest', async () => {
    const mined = await runNode(rules, { table: baskets() }, { minSupport: 0.2, minConfidence: 0.5 });
    const { outputs, warnings } = await runNode(recommend, { transactions: baskets(), segments: undefined, products: undefined, rules: mined.outputs.model }, params);
    expect(warnings).toEqual([]);
    const recs = outputs.recommendations;
    const rows = Array.from({ length: recs.numRows() }, (_, r) => r).filter((r) => recs.get('id', r) === 12);
    expect(rows.map((r) => [recs.get('item', r), recs.get('source', r)])).toEqual([['butter', 'association-rule'], ['tea', 'association-rule']]);
    expect(recs.get('reason', rows[0]!)).toBe('customers who bought bread also buy butter (confidence 88%, lift 1.5)');
    const s = outputs.metrics.summary;
    expect(typeof s.rules_recall).toBe('number');
    expect(typeof s.rules_map_ratio === 'number' || s.rules_map_ratio === null).toBe(true);
    expect(outputs.metrics.tables.comparison!.array('method')).toEqual(['item-item', 'popularity', 'association rules']);
  });

  it('counts rules that name products the transactions do not have', async () => {
    const mined = await runNode(rules, { table: baskets() }, { minSupport: 0.2, minConfidence: 0.5 });
    const fewer = baskets().filter(escape((d: { item: string }) => d.item !== 'jam'));
    const { warnings } = await runNode(recommend, { transactions: fewer, segments: undefined, products: undefined, rules: mined.outputs.model }, params);
    expect(warnings.map((w) => w.code)).toEqual(['recommend.rulesUnmatched']);
    expect(warnings[0]!.message).toMatch(/^\d+ of \d+ rules name products that are not in column "item" of the transactions; they are not used\.$/);
  });

  it('skips the rule evaluation with a warning when re-mining the training histories passes the itemset cap', async () => {
    const mined = await runNode(rules, { table: baskets() }, { minSupport: 0.2, minConfidence: 0.5 });
    const params0 = JSON.parse(JSON.stringify(mined.outputs.model.params));
    const capped = { ...mined.outputs.model, params: { ...params0, mining: { ...params0.mining, maxItemsets: 1 } } };
    const { outputs, warnings } = await runNode(recommend, { transactions: baskets(), segments: undefined, products: undefined, rules: capped }, params);
    expect(warnings.map((w) => w.message)).toEqual(['Rule evaluation skipped: mining the training histories (one basket per customer) at the rules\u2019 thresholds passes the itemset cap (1); the lists still use the rules as given.']);
    expect(outputs.metrics.summary.rules_recall).toBeUndefined();
    expect(Array.from(outputs.recommendations.array('source'))).toContain('association-rule');
  });

  it('refuses a transform that is not a rule model, naming the input', async () => {
    const run = runNode(recommend, { transactions: baskets(), segments: undefined, products: undefined, rules: { kind: 'normalise', label: 'x', params: {} } }, params);
    await expect(run).rejects.toThrow(InsightError);
    await expect(run).rejects.toMatchObject({ issue: { code: 'recommend.badRules', param: 'rules' } });
  });
});
