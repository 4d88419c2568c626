/**
 * The rules node: baskets from a transactions table, the rules/itemsets/model outputs, and the
 * declared messages for one-item baskets, identical baskets, the itemset cap and empty results;
 * on Groceries (../shared/data, read through Load's "baskets" format) arules' 410 rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { rules } from '../../nodes/rules.ts';
import { readTable } from '../../src/data/read.ts';
import { InsightError } from '../../src/engine/errors.ts';
import { readRuleModel } from '../../src/ml/rule-recommend.ts';
import { runNode } from './decision-harness.ts';

const lines = () =>
  table({
    invoice: ['i1', 'i1', 'i2', 'i2', 'i2', 'i3', 'i3', 'i4', 'i4', 'i5', null],
    product: ['milk', 'bread', 'milk', 'bread', 'eggs', 'milk', 'eggs', 'bread', 'butter', 'milk', 'tea'],
    qty: [1, 2, 1, 1, 1, 1, -1, 1, 1, 1, 1],
  });

describe('rules node', () => {
  it('groups rows by invoice, leaves out returns and rows without a basket, and lists every rule with its measures', async () => {
    const { outputs, warnings } = await runNode(rules, { table: lines() }, { basketColumn: 'invoice', itemColumn: 'product', quantityColumn: 'qty', minSupport: 0.4, minConfidence: 0.6 });
    expect(warnings.map((w) => w.message)).toEqual(['2 of 11 rows left out: 1 without a basket or item, 1 with a missing quantity or quantity ≤ 0 (returns).']);
    // Baskets: {milk, bread}, {milk, bread, eggs}, {milk}, {bread, butter}, {milk}; count ≥ 2.
    expect(outputs.itemsets.objects()).toEqual([
      { itemset: '{milk}', size: 1, support: 0.8, count: 4 },
      { itemset: '{bread}', size: 1, support: 0.6, count: 3 },
      { itemset: '{milk, bread}', size: 2, support: 0.4, count: 2 },
    ]);
    const r = outputs.rules.objects();
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ rule: '{bread} → {milk}', antecedent: '{bread}', consequent: '{milk}', antecedent_size: 1, count: 2 });
    expect(Number(outputs.rules.get('support', 0))).toBeCloseTo(0.4, 12);
    expect(Number(outputs.rules.get('confidence', 0))).toBeCloseTo(2 / 3, 12);
    expect(Number(outputs.rules.get('lift', 0))).toBeCloseTo(2 / 3 / 0.8, 12);
    expect(Number(outputs.rules.get('leverage', 0))).toBeCloseTo(0.4 - 0.6 * 0.8, 12);
    expect(Number(outputs.rules.get('conviction', 0))).toBeCloseTo((1 - 0.8) / (1 - 2 / 3), 12);
    const model = readRuleModel(outputs.model.kind, JSON.parse(JSON.stringify(outputs.model.params)));
    expect(model.items).toEqual(['milk', 'bread', 'eggs', 'butter']);
    expect(model.rules.size).toBe(1);
    expect(model.baskets).toBe(5);
    expect(outputs.model.label).toBe('1 rules from 5 baskets');
  });

  it('warns when every basket holds one item', async () => {
    const { outputs, warnings } = await runNode(rules, { table: table({ basket: [1, 2, 3], item: ['a', 'b', 'a'] }) }, { minSupport: 0.3 });
    expect(warnings.map((w) => w.code)).toEqual(['rules.singleItemBaskets']);
    expect(outputs.rules.numRows()).toBe(0);
    expect(outputs.itemsets.numRows()).toBe(2);
  });

  it('warns when all baskets are identical (every lift is 1)', async () => {
    const { outputs, warnings } = await runNode(rules, { table: table({ basket: [1, 1, 2, 2, 3, 3], item: ['a', 'b', 'b', 'a', 'a', 'b'] }) }, { minSupport: 0.5 });
    expect(warnings.map((w) => w.message)).toEqual(['All 3 baskets hold the same 2 items: every itemset has support 1 and every rule lift 1, which says nothing about what goes together.']);
    expect(Array.from(outputs.rules.array('lift'))).toEqual([1, 1]);
  });

  it('stops at the itemset cap with its declared error', async () => {
    const items = Array.from({ length: 18 }, (_, i) => `p${i}`);
    const t = table({ basket: items.flatMap(() => [1, 2]), item: items.flatMap((i) => [i, i]) });
    const run = runNode(rules, { table: t }, { minSupport: 0.5, maxLength: 18, maxItemsets: 5000 });
    await expect(run).rejects.toThrow(InsightError);
    await expect(run).rejects.toMatchObject({ issue: { code: 'rules.itemsetCap' } });
  });

  it('says so when no item reaches min support, or no rule min confidence', async () => {
    const none = await runNode(rules, { table: lines() }, { basketColumn: 'invoice', itemColumn: 'product', minSupport: 0.9 });
    expect(none.warnings.map((w) => w.message)).toContain('No item reaches min support 0.9 (count ≥ 5 of 5 baskets); lower parameter "minSupport".');
    const noRule = await runNode(rules, { table: lines() }, { basketColumn: 'invoice', itemColumn: 'product', minSupport: 0.5, minConfidence: 0.5 });
    expect(noRule.warnings.map((w) => w.message)).toEqual(['1 of 11 rows left out: 1 without a basket or item, 0 with a missing quantity or quantity ≤ 0 (returns).', 'No rule reaches min confidence 0.5 among the 2 frequent itemsets; lower parameter "minConfidence" or "minSupport".']);
  });

  it('keeps the best maxRules by lift and says how many were found', async () => {
    const { outputs, warnings } = await runNode(rules, { table: lines() }, { basketColumn: 'invoice', itemColumn: 'product', minSupport: 0.1, minConfidence: 0.1, maxRules: 2 });
    expect(outputs.rules.numRows()).toBe(2);
    expect(warnings.map((w) => w.code)).toContain('rules.rulesCut');
  });
});

const groceries = fileURLToPath(new URL('../../../shared/data/groceries/groceries.csv', import.meta.url));
describe.skipIf(!existsSync(groceries))(`rules node on Groceries (${existsSync(groceries) ? groceries : 'skipped: ../shared/data/groceries not found'})`, () => {
  it('gives arules\' 410 rules and 13,492 itemsets at support 0.001, confidence 0.8, from the ragged file', async () => {
    const read = await readTable({ name: 'groceries.csv', bytes: new Uint8Array(readFileSync(groceries)) }, { format: 'baskets' });
    const { outputs, warnings } = await runNode(rules, { table: read.table }, { minSupport: 0.001, minConfidence: 0.8, maxLength: 10 });
    expect(warnings).toEqual([]);
    expect(outputs.itemsets.numRows()).toBe(13492);
    expect(outputs.rules.numRows()).toBe(410);
    expect(outputs.rules.get('rule', 0)).toBe('{red/blush wine, liquor} → {bottled beer}');
    expect(Number(outputs.rules.get('lift', 0))).toBeCloseTo(11.235, 3);
  });
});
