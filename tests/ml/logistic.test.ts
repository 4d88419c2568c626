import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/logistic.json';
import { crossValidateLogistic, fitLogistic, predictLogistic } from '../../src/ml/logistic.ts';
import { KernelInputError, fromRows, type Matrix } from '../../src/ml/matrix.ts';

const data: Matrix = { values: Float64Array.from(fixture.X), n: fixture.n, d: fixture.d };

describe('fitLogistic matches scikit-learn ' + fixture.sklearn + ' LogisticRegression on standardised features', () => {
  // newton-cg (tol 1e-12) reaches the optimum: we match it to 1e-8. lbfgs, sklearn's default,
  // stops on a relative objective change and is off by up to ~1e-5: we match it to 1e-4.
  for (const ref of fixture.fits) {
    const tol = ref.solver === 'newton-cg' ? 1e-8 : 1e-4;
    it(`gives sklearn ${ref.solver}'s coefficients and intercept to ${tol} at C = ${ref.C}`, () => {
      const model = fitLogistic(data, fixture.y, { C: ref.C });
      expect(model.converged).toBe(true);
      expect(model.coef.length).toBe(4);
      for (let j = 0; j < 4; j++) expect(Math.abs(model.coef[j]! - ref.coef[j]!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(model.intercept - ref.intercept)).toBeLessThanOrEqual(tol);
    });

    it(`gives sklearn ${ref.solver}'s probabilities to ${tol} at C = ${ref.C}`, () => {
      const p = predictLogistic(fitLogistic(data, fixture.y, { C: ref.C }), data);
      let worst = 0;
      for (let i = 0; i < data.n; i++) worst = Math.max(worst, Math.abs(p[i]! - ref.proba[i]!));
      expect(worst).toBeLessThanOrEqual(tol);
    });
  }

  it('keeps the solution finite on perfectly separable data (the L2 penalty)', () => {
    const s = fixture.separable;
    const model = fitLogistic({ values: Float64Array.from(s.X), n: s.n, d: s.d }, s.y);
    for (let j = 0; j < 2; j++) expect(Math.abs(model.coef[j]! - s.coef[j]!)).toBeLessThanOrEqual(1e-8);
    expect(Math.abs(model.intercept - s.intercept)).toBeLessThanOrEqual(1e-8);
  });

  it('expresses the same model in original units', () => {
    const model = fitLogistic(data, fixture.y);
    const row = Array.from(data.values.subarray(0, 4));
    let t = model.interceptRaw;
    for (let j = 0; j < 4; j++) t += model.coefRaw[j]! * row[j]!;
    const p = predictLogistic(model, fromRows([row]));
    expect(1 / (1 + Math.exp(-t))).toBeCloseTo(p[0]!, 12);
  });
});

describe('crossValidateLogistic', () => {
  const folds = Int32Array.from({ length: fixture.n }, (_, i) => i % 4);

  it('scores each row with the model fitted without its fold', () => {
    const cv = crossValidateLogistic(data, fixture.y, folds);
    expect(cv.models.length).toBe(4);
    for (let f = 0; f < 4; f++) {
      const trainRows = Array.from({ length: fixture.n }, (_, i) => i).filter((i) => folds[i] !== f);
      const train: Matrix = {
        values: Float64Array.from(trainRows.flatMap((i) => Array.from(data.values.subarray(i * 4, i * 4 + 4)))),
        n: trainRows.length,
        d: 4,
      };
      const own = fitLogistic(train, trainRows.map((i) => fixture.y[i]!));
      const testRow = f; // row f is in fold f
      const expected = predictLogistic(own, fromRows([Array.from(data.values.subarray(testRow * 4, testRow * 4 + 4))]));
      expect(cv.probabilities[testRow]).toBeCloseTo(expected[0]!, 12);
      // The fold model standardises with its training rows only: its mean differs from the full-data mean.
      expect(cv.models[f]!.mean[0]).toBeCloseTo(own.mean[0]!, 12);
    }
  });

  it('rejects a fold id gap, naming the empty fold', () => {
    const gappy = Int32Array.from({ length: fixture.n }, (_, i) => (i % 2) * 2);
    expect(() => crossValidateLogistic(data, fixture.y, gappy)).toThrowError('Fold 1 has no rows; fold ids must be 0..2 without gaps.');
  });

  it('names the fold whose training rows hold a single class', () => {
    const x = fromRows([[0], [1], [2], [3]]);
    expect(() => crossValidateLogistic(x, [0, 0, 1, 1], [0, 0, 1, 1])).toThrowError(
      'Fold 0: Logistic regression: all 2 training labels are 1; logistic regression needs both classes.',
    );
  });
});

describe('bad input', () => {
  it('rejects NaN features, naming row and column', () => {
    const x = fromRows([[1, 2], [3, Number.NaN], [0, 1]]);
    expect(() => fitLogistic(x, [0, 1, 0])).toThrowError(
      new KernelInputError('not-finite', 'Features has NaN at row 1, column 1; remove or impute it first.', 1, 1),
    );
  });

  it('rejects an empty matrix', () => {
    expect(() => fitLogistic({ values: new Float64Array(0), n: 0, d: 3 }, [])).toThrowError('Logistic regression got no rows.');
  });

  it('gives a constant column a zero coefficient instead of dividing by zero', () => {
    const x = fromRows([[1, 5], [2, 5], [3, 5], [4, 5]]);
    const model = fitLogistic(x, [0, 1, 0, 1]);
    expect(model.scale[1]).toBe(1);
    expect(model.coef[1]).toBe(0);
  });
});
