import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { integratedGradients, meanSequence } from '../../../src/ml/lstm/attribution.ts';
import { LstmInputError } from '../../../src/ml/lstm/errors.ts';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { predictLstm } from '../../../src/ml/lstm/predict.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { trainLstm } from '../../../src/ml/lstm/train.ts';
import type { LstmWeights } from '../../../src/ml/lstm/types.ts';
import { permutationImportance, sequenceGroups } from '../../../src/ml/permutation-importance.ts';
import { createRng } from '../../../src/ml/random.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

/** Random weights with biased gates, so that no gate sits at a symmetric point. */
function randomWeights(features: number, units: number, layers: number, seed: number): LstmWeights {
  const rng = createRng(seed);
  const weights = initLstmWeights({ features, units, layers }, seed);
  for (const l of weights.layers) for (let i = 0; i < l.bias.length; i++) l.bias[i] = (l.bias[i] ?? 0) + 0.5 * rng.normal();
  for (let i = 0; i < weights.dense.kernel.length; i++) weights.dense.kernel[i] = 2 * (weights.dense.kernel[i] ?? 0);
  return weights;
}

/** Largest completeness gap relative to |f(x) − f(x')| over customers whose score moved. */
function worstRelativeGap(ig: Awaited<ReturnType<typeof integratedGradients>>): number {
  let worst = 0;
  ig.scores.forEach((s, i) => {
    const delta = Math.abs(s - ig.baselineScore);
    if (delta > 1e-3) worst = Math.max(worst, (ig.gap[i] ?? 0) / delta);
  });
  return worst;
}

describe.each<{ backend: string; engine: 'native-simd' | 'tfjs-ops' }>([
  { backend: 'wasm', engine: 'native-simd' },
  { backend: 'wasm', engine: 'tfjs-ops' },
  { backend: 'cpu', engine: 'tfjs-ops' },
])('integrated gradients on $backend with $engine', ({ backend, engine }) => {
  it('satisfy completeness within 1% of f(x) − f(baseline) at 32 steps, for one and two layers', async () => {
    await selectBackend([backend]);
    for (const layers of [1, 2]) {
      const n = 24;
      const [T, D] = [10, 5];
      const weights = randomWeights(D, 8, layers, 11 + layers);
      const rng = createRng(5);
      const x = new Float32Array(n * T * D).map(() => 1.5 * rng.normal());
      const baseline = meanSequence(x, n, T, D);
      const ig = await integratedGradients(weights, x, n, T, D, { steps: 32, baseline, engine });
      expect(worstRelativeGap(ig)).toBeLessThan(0.01);
      // f(x) is the model's own probability: the same as the fast path's prediction.
      const predicted = await predictLstm(weights, x, n, T, D);
      for (let i = 0; i < n; i++) expect(ig.scores[i]).toBeCloseTo(predicted[i] ?? NaN, 4);
    }
  });

  it('put all of the attribution on the one cell that differs from the baseline', async () => {
    await selectBackend([backend]);
    const [T, D] = [6, 3];
    const weights = randomWeights(D, 6, 1, 3);
    const baseline = new Float32Array(T * D);
    const x = new Float32Array(T * D);
    x[4 * D + 1] = 2;
    const ig = await integratedGradients(weights, x, 1, T, D, { steps: 16, baseline, engine });
    const others = Array.from(ig.attributions).filter((_, j) => j !== 4 * D + 1);
    expect(others.every((a) => a === 0)).toBe(true);
    expect(ig.attributions[4 * D + 1]).toBeCloseTo((ig.scores[0] ?? 0) - ig.baselineScore, 3);
  });
});

describe('integrated gradients from the native kernels and from tfjs ops', () => {
  it('agree to 1e-5 on every cell', async () => {
    await selectBackend(['wasm']);
    const [n, T, D] = [6, 7, 4];
    const weights = randomWeights(D, 5, 2, 8);
    const rng = createRng(2);
    const x = new Float32Array(n * T * D).map(() => rng.normal());
    const baseline = meanSequence(x, n, T, D);
    const native = await integratedGradients(weights, x, n, T, D, { steps: 12, baseline, engine: 'native-simd' });
    const ops = await integratedGradients(weights, x, n, T, D, { steps: 12, baseline, engine: 'tfjs-ops' });
    const worst = native.attributions.reduce((w, a, j) => Math.max(w, Math.abs(a - (ops.attributions[j] ?? NaN))), 0);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('integrated gradients on a model trained where the drivers are planted', () => {
  it('concentrate the planted late-trend feature on the last third of the steps, and permutation importance ranks the four planted features first', async () => {
    await selectBackend(['wasm']);
    // syntheticSequences plants: feature 0 over the last third of the steps (+), feature 1 over
    // the first third (−), features 2 × 3 at the last step; features 4 and 5 are noise.
    const [T, D] = [9, 6];
    const data = syntheticSequences({ n: 1200, steps: T, features: D }, 21);
    const model = await trainLstm(data, null, { units: 12, layers: 1, dropout: 0, epochs: 12, batchSize: 32, learningRate: 0.01, patience: 0, classWeight: 'none', seed: 3, implementation: 'fast' });
    const baseline = meanSequence(data.x, data.n, T, D);
    const ig = await integratedGradients(model.weights, data.x, data.n, T, D, { steps: 32, baseline });
    expect(worstRelativeGap(ig)).toBeLessThan(0.01);
    // Mean |attribution| of feature 0 per step: the last third carries most of it.
    const perStep = Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let i = 0; i < data.n; i++) s += Math.abs(ig.attributions[(i * T + t) * D] ?? 0);
      return s / data.n;
    });
    const late = perStep.slice(T - 3).reduce((a, b) => a + b, 0);
    const rest = perStep.slice(0, T - 3).reduce((a, b) => a + b, 0);
    expect(late).toBeGreaterThan(rest);

    const names = Array.from({ length: D }, (_, d) => `f${d}`);
    const { byFeature } = sequenceGroups(T, D, names, (t) => `step ${t + 1}`);
    const importance = await permutationImportance(data.x, data.n, T * D, data.labels, byFeature, (x, n) => predictLstm(model.weights, x, n, T, D), { repeats: 3, random: createRng(9) });
    const ranked = [...importance.groups].sort((a, b) => b.drop - a.drop).map((g) => g.name);
    expect(ranked.slice(0, 4).sort()).toEqual(['f0', 'f1', 'f2', 'f3']);
    expect(importance.groups.find((g) => g.name === 'f4')?.drop ?? 1).toBeLessThan(0.02);
    expect(tf.memory().numTensors).toBeLessThan(50);
  }, 240_000);
});

describe('integrated gradients refuse shapes that do not fit', () => {
  it('name the input that is wrong', async () => {
    await selectBackend(['cpu']);
    const weights = randomWeights(3, 4, 1, 1);
    await expect(integratedGradients(weights, new Float32Array(12), 1, 4, 3, { steps: 0, baseline: new Float32Array(12) })).rejects.toThrow(LstmInputError);
    await expect(integratedGradients(weights, new Float32Array(12), 1, 4, 3, { steps: 8, baseline: new Float32Array(5) })).rejects.toThrow(/baseline has 5 values/);
    await expect(integratedGradients(weights, new Float32Array(10), 1, 4, 3, { steps: 8, baseline: new Float32Array(12) })).rejects.toThrow(/x has 10 values/);
  });
});

describe('gaussLegendre', () => {
  it('integrates polynomials of degree 2m − 1 on [0, 1] exactly, with weights summing to 1', async () => {
    const { gaussLegendre } = await import('../../../src/ml/lstm/attribution.ts');
    for (const m of [1, 3, 8, 32]) {
      const { nodes, weights } = gaussLegendre(m);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const degree = 2 * m - 1;
      const integral = nodes.reduce((s, a, k) => s + (weights[k] ?? 0) * a ** degree, 0);
      expect(integral).toBeCloseTo(1 / (degree + 1), 10);
      expect(nodes.every((a) => a > 0 && a < 1)).toBe(true);
    }
  });
});
