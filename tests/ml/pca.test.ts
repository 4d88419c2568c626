import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/pca.json';
import { jacobiEigen, pca, pcaTransform, projection2d } from '../../src/ml/pca.ts';
import { fromRows, type Matrix } from '../../src/ml/matrix.ts';

const data: Matrix = { values: Float64Array.from(fixture.X), n: fixture.n, d: fixture.d };

describe('pca matches scikit-learn ' + fixture.sklearn + ' PCA(n_components=2)', () => {
  const model = pca(data, { components: 2 });

  it('gives explained variance and its ratio to 1e-9', () => {
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(model.explainedVariance[k]! - fixture.explainedVariance[k]!)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(model.explainedVarianceRatio[k]! - fixture.explainedVarianceRatio[k]!)).toBeLessThanOrEqual(1e-9);
    }
  });

  it('gives the components with the largest loading positive, and the projected scores', () => {
    let worst = 0;
    for (let q = 0; q < 10; q++) worst = Math.max(worst, Math.abs(model.loadings[q]! - fixture.components[q]!));
    expect(worst).toBeLessThanOrEqual(1e-9);
    worst = 0;
    for (let q = 0; q < 200; q++) worst = Math.max(worst, Math.abs(model.scores[q]! - fixture.scores[q]!));
    expect(worst).toBeLessThanOrEqual(1e-8);
  });

  it('projects new rows with the fitted mean and loadings', () => {
    const row = fromRows([[1, 2, 3, 4, 5]]);
    const p = pcaTransform(model, row);
    let s0 = 0;
    for (let j = 0; j < 5; j++) s0 += (j + 1 - model.mean[j]!) * model.loadings[j]!;
    expect(p[0]).toBeCloseTo(s0, 12);
  });
});

describe('pca degenerate inputs', () => {
  it('keeps at most d components', () => {
    const model = pca(fromRows([[1], [2], [4]]), { components: 2 });
    expect(model.components).toBe(1);
    // Sample variance of 1, 2, 4 with n − 1: mean 7/3, Σ(x − m)² = 14/3, / 2.
    expect(model.explainedVariance[0]).toBeCloseTo(7 / 3, 12);
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
  });

  it('marks one row as degenerate with zero variances and zero scores, never NaN', () => {
    const model = pca(fromRows([[3, 4, 5]]));
    expect(model.degenerate).toBe(true);
    expect(Array.from(model.explainedVariance)).toEqual([0, 0]);
    expect(Array.from(model.explainedVarianceRatio)).toEqual([0, 0]);
    expect(Array.from(model.scores)).toEqual([0, 0]);
  });

  it('marks constant data as degenerate', () => {
    const model = pca(fromRows([[0.1, 7], [0.1, 7], [0.1, 7]]));
    expect(model.degenerate).toBe(true);
    expect(Array.from(model.scores)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects NaN naming row and column, and empty input', () => {
    expect(() => pca(fromRows([[1, 2], [3, Number.POSITIVE_INFINITY]]))).toThrowError(
      'PCA input has Infinity at row 1, column 1; remove or impute it first.',
    );
    expect(() => pca({ values: new Float64Array(0), n: 0, d: 2 })).toThrowError('PCA got no rows.');
  });
});

describe('jacobiEigen', () => {
  it('diagonalises a symmetric 3 × 3 matrix: A v = λ v for each pair', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = jacobiEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += a[i * 3 + j]! * vectors[j * 3 + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * 3 + k]!, 12);
      }
    }
    expect(values[0]! + values[1]! + values[2]!).toBeCloseTo(12, 12);
  });
});

describe('projection2d', () => {
  it('gives the first two component scores per row and the model’s ratios and loadings', () => {
    const x = fromRows([[1, 2, 0], [2, 1, 1], [3, 5, 0], [4, 3, 2]]);
    const model = pca(x, { components: 2 });
    const p = projection2d(x);
    expect(p.pc1).toEqual([0, 1, 2, 3].map((i) => model.scores[i * 2]));
    expect(p.pc2).toEqual([0, 1, 2, 3].map((i) => model.scores[i * 2 + 1]));
    expect(p.explainedVarianceRatio).toEqual(Array.from(model.explainedVarianceRatio));
    expect(p.loadings).toEqual([Array.from(model.loadings.subarray(0, 3)), Array.from(model.loadings.subarray(3, 6))]);
  });
  it('fills the second coordinate with 0 for one column', () => {
    expect(projection2d(fromRows([[1], [3]])).pc2).toEqual([0, 0]);
  });
});
