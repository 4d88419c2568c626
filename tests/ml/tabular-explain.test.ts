import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/tabular-logistic.json';
import { explainTabular } from '../../src/ml/tabular-explain.ts';
import { crossValidateTabular, predictTabular, type TabularFitOptions } from '../../src/ml/tabular-model.ts';

const inputs = [{ name: 'plan', values: fixture.plan }, { name: 'tenure', values: fixture.tenure }];
const n = fixture.y.length;
const labels = Float64Array.from(fixture.y);
const options = (learner: 'logistic' | 'gbdt'): TabularFitOptions => ({ learner, folds: 3, seed: 1, C: 1, gbdt: { maxIter: 30 }, encoder: {}, finalModel: true });
const logit = (p: number): number => Math.log(p / (1 - p));

describe.each(['gbdt', 'logistic'] as const)('explainTabular with %s', (learner) => {
  it('gives each row attributions per input column that add up to its log-odds minus the expected log-odds', async () => {
    const { model } = await crossValidateTabular(inputs, n, labels, options(learner));
    const ex = explainTabular(model, inputs, n);
    expect(ex.columns).toEqual(['plan', 'tenure']);
    const p = predictTabular(model, inputs, n);
    for (let i = 0; i < n; i++) {
      const sum = (ex.values[2 * i] ?? 0) + (ex.values[2 * i + 1] ?? 0);
      expect(Math.abs(sum - ((ex.output[i] ?? 0) - ex.expected))).toBeLessThan(1e-9);
      // The log-odds are the model's own: the same probability as predictTabular.
      expect(Math.abs((ex.output[i] ?? 0) - logit(p[i] ?? 0.5))).toBeLessThan(1e-6);
    }
  });
});
