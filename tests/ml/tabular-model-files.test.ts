import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { portFile, toJsonValue } from '../../src/engine/port-codec.ts';
import type { ModelValue } from '../../src/engine/ports.ts';
import { createRng } from '../../src/ml/random.ts';
import { explainTabular } from '../../src/ml/tabular-explain.ts';
import { tabularModelFromJson } from '../../src/ml/tabular-model-files.ts';
import { isTabularModel, predictTabular, type TabularModel } from '../../src/ml/tabular-model.ts';
import { runNode } from '../nodes/intent-harness.ts';

/** Churn on contract and tenure, with missing tenures (NaN paths) and a noise column. */
function churnTable(n: number): ColumnTable {
  const rng = createRng(21);
  const contract: string[] = [];
  const tenure: (number | null)[] = [];
  const noise: number[] = [];
  const churn: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = ['Month-to-month', 'One year', 'Two year'][rng.int(3)] ?? 'One year';
    const t = Math.floor(rng.next() * 72);
    contract.push(c);
    tenure.push(rng.next() < 0.05 ? null : t);
    noise.push(rng.normal());
    churn.push((c === 'Month-to-month' ? 1.5 : -1) - t / 24 + rng.normal() * 0.8 > 0 ? 'Yes' : 'No');
  }
  return aq.table({ customerID: Array.from({ length: n }, (_, i) => `C${i}`), contract, tenure, noise, Churn: churn });
}

const bits = (a: ArrayLike<number>): string[] => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

function inputsOf(t: ColumnTable, model: TabularModel): { name: string; values: unknown[] }[] {
  return model.encoding.columns.map((c) => ({ name: c.name, values: Array.from(t.array(c.name)) }));
}

describe('a classify model file', () => {
  it.each([['gbdt', false], ['logistic', false], ['logistic', true]] as const)('reads a %s model (log numbers: %s) and its fold models back from the compact file and from the old number-array file, predicting and explaining the same bits', async (learner, logNumbers) => {
    const customers = churnTable(300);
    const fit = await runNode('classify', { label: 'Churn', learner, folds: 3, logNumbers }, { table: { type: 'table', value: customers } });
    const value = fit.outputs?.model as ModelValue;
    const original = value.artifacts;
    if (!isTabularModel(original)) throw new Error('not a tabular model');
    expect(original.folds?.models.length).toBe(3);
    const compact = portFile('trees', 'model', value).text;
    const old = `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
    for (const text of [compact, old]) {
      const back = tabularModelFromJson(JSON.parse(text));
      if (!back) throw new Error('not read back');
      expect(isTabularModel(back)).toBe(true);
      expect(back.encoding.columns.filter((c) => c.log === true).map((c) => c.name)).toEqual(logNumbers ? ['tenure', 'noise'] : []);
      const n = customers.numRows();
      expect(bits(predictTabular(back, inputsOf(customers, back), n))).toEqual(bits(predictTabular(original, inputsOf(customers, original), n)));
      expect(bits(explainTabular(back, inputsOf(customers, back), n).values)).toEqual(bits(explainTabular(original, inputsOf(customers, original), n).values));
      back.folds?.models.forEach((m, k) => {
        const o = original.folds?.models[k];
        if (!o) throw new Error('fold missing');
        expect(bits(predictTabular(m, inputsOf(customers, m), n))).toEqual(bits(predictTabular(o, inputsOf(customers, o), n)));
      });
      expect(Array.from(back.folds?.fold ?? [])).toEqual(Array.from(original.folds?.fold ?? []));
    }
    // Trees: the one-line base64 file is under half the indented digits (these trees are small; Telco's 200-tree model with its 5 fold models: 9.8 MB → 2.5 MB).
    if (learner === 'gbdt') expect(compact.length).toBeLessThan(old.length / 2);
  }, 60_000);

  it('refuses what is not a classify model, naming nothing it cannot read', async () => {
    const customers = churnTable(120);
    const fit = await runNode('classify', { label: 'Churn', learner: 'gbdt', folds: 2 }, { table: { type: 'table', value: customers } });
    const json = JSON.parse(portFile('trees', 'model', fit.outputs?.model).text) as { artifacts: { gbdt: { trees: { left: unknown }[] } } };
    expect(tabularModelFromJson({ kind: 'lstm', artifacts: {} })).toBeNull();
    expect(tabularModelFromJson(null)).toBeNull();
    const first = json.artifacts.gbdt.trees[0];
    if (!first) throw new Error('no tree');
    first.left = [1, 2];
    expect(tabularModelFromJson(json)).toBeNull();
  }, 60_000);
});
