import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedVariant, overrideFusedVariant } from '../../../src/ml/lstm/gpu-kernels.ts';
import { fastPathLogits, fastPathVariables } from '../../../src/ml/lstm/gradient-probe.ts';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { buildLayersModel } from '../../../src/ml/lstm/layers-model.ts';
import { NativeLstm } from '../../../src/ml/lstm/native-engine.ts';
import type { LstmWeights } from '../../../src/ml/lstm/types.ts';
import { createRng } from '../../../src/ml/random.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

/** Logits and gradients of L = Σ_b r_b · logit_b with respect to every weight and the input. */
interface Probe {
  logits: Float32Array;
  /** Per layer kernel, recurrent kernel, bias; then dense kernel, dense bias; then dL/dx. */
  grads: Float32Array[];
}

interface Case {
  n: number;
  steps: number;
  features: number;
  units: number;
  layers: number;
}

function randomCase(c: Case, seed: number): { weights: LstmWeights; x: Float32Array; r: Float32Array } {
  const rng = createRng(seed);
  const weights = initLstmWeights({ features: c.features, units: c.units, layers: c.layers }, seed);
  // Random biases so that no gate sits at a symmetric point where errors could cancel.
  for (const l of weights.layers) for (let i = 0; i < l.bias.length; i++) l.bias[i] = (l.bias[i] as number) + 0.5 * rng.normal();
  weights.dense.bias[0] = 0.3;
  const x = new Float32Array(c.n * c.steps * c.features).map(() => rng.normal());
  const r = new Float32Array(c.n).map(() => rng.normal());
  return { weights, x, r };
}

/**
 * The logits that `logitsOf` computes and the gradients of L = Σ_b r_b · logit_b with respect
 * to each of `vars` (in order), by tfjs autodiff; the loss and gradient tensors are disposed.
 */
function probeGradients(vars: tf.Variable[], r: Float32Array, logitsOf: () => tf.Tensor): Probe {
  const holder: { logits: Float32Array } = { logits: new Float32Array(0) };
  const { value, grads } = tf.variableGrads(() => {
    const logits = logitsOf();
    holder.logits = Float32Array.from(logits.dataSync());
    return tf.sum(tf.mul(logits, tf.tensor1d(r)));
  }, vars);
  const out = vars.map((v) => {
    const g = grads[v.name];
    if (!g) throw new Error(`no gradient for ${v.name}`);
    return Float32Array.from(g.dataSync());
  });
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  return { logits: holder.logits, grads: out };
}

/** The reference: tf.layers.lstm with sigmoid gates, differentiated by tfjs autodiff. */
function referenceProbe(c: Case, weights: LstmWeights, x: Float32Array, r: Float32Array): Probe {
  const model = buildLayersModel(weights, { steps: c.steps, dropout: 0 });
  const lstms = model.layers.filter((l) => l.getClassName() === 'LSTM');
  const xv = tf.variable(tf.tensor3d(x, [c.n, c.steps, c.features]));
  const vars = [...model.trainableWeights.map((w) => w.read()), xv].map((v) => {
    if (!(v instanceof tf.Variable)) throw new Error('expected variables');
    return v;
  });
  const [dk, db] = vars.slice(vars.length - 3, vars.length - 1);
  const probe = probeGradients(vars, r, () => {
    let h: tf.Tensor = xv;
    for (const l of lstms) {
      const out = l.apply(h);
      if (!(out instanceof tf.Tensor)) throw new Error('expected a tensor');
      h = out;
    }
    if (!dk || !db) throw new Error('missing dense weights');
    return tf.reshape(tf.add(tf.matMul(h, dk), db), [c.n]);
  });
  xv.dispose();
  model.dispose();
  return probe;
}

function nativeProbe(c: Case, weights: LstmWeights, x: Float32Array, r: Float32Array): Probe {
  const lstm = new NativeLstm({ steps: c.steps, features: c.features, units: c.units, layers: c.layers, learningRate: 0, maxBatch: c.n }, weights);
  const logits = lstm.forward(x, c.n, null);
  lstm.backward(r, true);
  const g = lstm.gradients();
  return { logits, grads: [...g.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), g.dense.kernel, g.dense.bias, lstm.inputGradient()] };
}

function tfjsOpsProbe(c: Case, weights: LstmWeights, x: Float32Array, r: Float32Array): Probe {
  const vars = fastPathVariables(weights, x, c.n, c.steps, c.features, c.units);
  const probe = probeGradients(vars, r, () => fastPathLogits(vars, c.layers, c.n));
  for (const v of vars) v.dispose();
  return probe;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

const cases: Case[] = [
  { n: 3, steps: 4, features: 5, units: 6, layers: 1 },
  { n: 5, steps: 3, features: 8, units: 7, layers: 2 },
  { n: 4, steps: 6, features: 3, units: 10, layers: 2 },
  { n: 9, steps: 2, features: 2, units: 4, layers: 1 },
];

describe('the fast LSTM paths equal tf.layers.lstm (sigmoid gates) on random inputs', () => {
  beforeAll(async () => {
    await selectBackend(['cpu']);
  });

  it.each(cases)('native kernels: logits and every gradient within 1e-4 for n=$n T=$steps D=$features H=$units layers=$layers', (c) => {
    const { weights, x, r } = randomCase(c, c.n * 31 + c.units);
    const ref = referenceProbe(c, weights, x, r);
    const got = nativeProbe(c, weights, x, r);
    expect(maxAbsDiff(got.logits, ref.logits)).toBeLessThan(1e-4);
    expect(got.grads.length).toBe(3 * c.layers + 3);
    got.grads.forEach((g, i) => expect(maxAbsDiff(g, ref.grads[i] ?? new Float32Array(0))).toBeLessThan(1e-4));
  });

  it.each(
    cases.flatMap((c) => (['fused-step', 'fused-cell'] as const).map((variant) => ({ ...c, variant }))),
  )('tfjs-ops customGrad, $variant kernels (cpu): logits and every gradient within 1e-4 for n=$n T=$steps D=$features H=$units layers=$layers', (c) => {
    overrideFusedVariant(c.variant);
    try {
      expect(fusedVariant()).toBe(c.variant);
      const { weights, x, r } = randomCase(c, c.n * 31 + c.units);
      const ref = referenceProbe(c, weights, x, r);
      const got = tfjsOpsProbe(c, weights, x, r);
      expect(maxAbsDiff(got.logits, ref.logits)).toBeLessThan(1e-4);
      got.grads.forEach((g, i) => expect(maxAbsDiff(g, ref.grads[i] ?? new Float32Array(0))).toBeLessThan(1e-4));
    } finally {
      overrideFusedVariant(null);
    }
  });

  it.each(cases)('tfjs-ops customGrad on composed ops (wasm): logits and every gradient within 1e-4 for n=$n T=$steps D=$features H=$units layers=$layers', async (c) => {
    await selectBackend(['wasm']);
    try {
      expect(fusedVariant()).toBe('composed');
      const { weights, x, r } = randomCase(c, c.n * 31 + c.units);
      const ref = referenceProbe(c, weights, x, r);
      const got = tfjsOpsProbe(c, weights, x, r);
      expect(maxAbsDiff(got.logits, ref.logits)).toBeLessThan(1e-4);
      got.grads.forEach((g, i) => expect(maxAbsDiff(g, ref.grads[i] ?? new Float32Array(0))).toBeLessThan(1e-4));
    } finally {
      await selectBackend(['cpu']);
    }
  });

  it('single-step sequences: both fast paths agree with each other and with the reference forward pass (cpu, fused cells)', () => {
    // tf.layers cannot differentiate a 1-step LSTM (its Unpack gradient fails), so the
    // gradients are checked between the two independent fast implementations.
    const c: Case = { n: 6, steps: 1, features: 3, units: 5, layers: 2 };
    const { weights, x, r } = randomCase(c, 11);
    const native = nativeProbe(c, weights, x, r);
    const ops = tfjsOpsProbe(c, weights, x, r);
    expect(maxAbsDiff(native.logits, ops.logits)).toBeLessThan(1e-5);
    native.grads.forEach((g, i) => expect(maxAbsDiff(g, ops.grads[i] ?? new Float32Array(0))).toBeLessThan(1e-5));
    const model = buildLayersModel(weights, { steps: 1, dropout: 0 });
    const p = model.predict(tf.tensor3d(x, [c.n, 1, c.features]));
    if (!(p instanceof tf.Tensor)) throw new Error('expected a tensor');
    const probs = Float32Array.from(p.dataSync());
    expect(maxAbsDiff(probs, native.logits.map((z) => 1 / (1 + Math.exp(-z))))).toBeLessThan(1e-5);
    model.dispose();
  });

  it('the gradients being compared are not trivially zero', () => {
    const c = cases[1] as Case;
    const { weights, x, r } = randomCase(c, c.n * 31 + c.units);
    const ref = referenceProbe(c, weights, x, r);
    for (const g of ref.grads) expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('the reference differs from the fast path when tf.layers keeps its default hardSigmoid gates', () => {
    const c = cases[0] as Case;
    const { weights, x, r } = randomCase(c, 77);
    const native = nativeProbe(c, weights, x, r);
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: c.units, inputShape: [c.steps, c.features] }));
    const layer = model.layers[0];
    if (!layer) throw new Error('no layer');
    const l0 = weights.layers[0];
    if (!l0) throw new Error('no weights');
    layer.setWeights([tf.tensor2d(l0.kernel, [c.features, 4 * c.units]), tf.tensor2d(l0.recurrentKernel, [c.units, 4 * c.units]), tf.tensor1d(l0.bias)]);
    const h = layer.apply(tf.tensor3d(x, [c.n, c.steps, c.features]));
    if (!(h instanceof tf.Tensor)) throw new Error('expected a tensor');
    const logits = tf.add(tf.matMul(h, tf.tensor2d(weights.dense.kernel, [c.units, 1])), weights.dense.bias[0] ?? 0).dataSync();
    expect(maxAbsDiff(Float32Array.from(logits), native.logits)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
