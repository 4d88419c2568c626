import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/tabular-logistic.json';
import { KernelInputError } from '../../src/ml/matrix.ts';
import { crossValidateTabular, isTabularModel, predictTabular, type TabularFitOptions } from '../../src/ml/tabular-model.ts';

const inputs = [{ name: 'plan', values: fixture.plan }, { name: 'tenure', values: fixture.tenure }];
const n = fixture.y.length;
const labels = Float64Array.from(fixture.y);
const options = (C: number, learner: 'logistic' | 'gbdt' = 'logistic'): TabularFitOptions => ({ learner, folds: 3, seed: 1, C, gbdt: { maxIter: 20 }, encoder: {}, finalModel: true });

describe('crossValidateTabular with logistic regression', () => {
  for (const ref of fixture.cases) {
    it(`gives sklearn ${fixture.sklearn}'s one-hot coefficients within 1e-8 at C = ${ref.C} (studio λ = 1/C)`, async () => {
      const cv = await crossValidateTabular(inputs, n, labels, options(ref.C));
      if (cv.model.learner !== 'logistic') throw new Error('not logistic');
      const model = cv.model;
      expect(model.features.slice().sort()).toEqual(Object.keys(ref.coef).sort());
      const coef = new Map(Object.entries(ref.coef));
      model.features.forEach((name, j) => {
        const want = coef.get(name) ?? Number.NaN;
        expect(Math.abs(model.logistic.coef[j]! - want)).toBeLessThan(1e-8);
      });
      expect(Math.abs(model.logistic.intercept - ref.intercept)).toBeLessThan(1e-8);
    });
  }
});

describe('crossValidateTabular', () => {
  it('scores every labelled row out of fold and an unlabelled row by the final model', async () => {
    const withUnlabelled = Float64Array.from(labels, (y, i) => (i === 0 ? Number.NaN : y));
    const cv = await crossValidateTabular(inputs, n, withUnlabelled, options(1, 'gbdt'));
    expect(cv.fold[0]).toBe(-1);
    expect(new Set(cv.fold.subarray(1))).toEqual(new Set([0, 1, 2]));
    const p = predictTabular(cv.model, inputs.map((c) => ({ name: c.name, values: [c.values[0]] })), 1);
    expect(cv.score[0]).toBe(p[0]);
    expect(isTabularModel(cv.model)).toBe(true);
  });
  it('reports progress as a rising fraction ending at 1', async () => {
    const seen: number[] = [];
    await crossValidateTabular(inputs, n, labels, options(1, 'gbdt'), (f) => void seen.push(f));
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
  });
  it('refuses folds that could not all hold a positive, with the counts', async () => {
    const few = Float64Array.from(labels, (_, i) => (i < 2 ? 1 : 0));
    await expect(crossValidateTabular(inputs, n, few, options(1))).rejects.toThrow(KernelInputError);
    await expect(crossValidateTabular(inputs, n, few, options(1))).rejects.toThrow('there are 2 positive and 238 negative');
  });
});
