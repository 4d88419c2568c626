/**
 * A correctness figure for the bench, run on whichever backend is active (including GPU
 * backends in Chromium, which unit tests cannot reach): the largest absolute difference
 * between the fast path's and tf.layers.lstm's logits and gradients (every weight and the
 * input) of L = Σ r_b · logit_b on a small random 2-layer case.
 */
import * as tf from '@tensorflow/tfjs';
import { fastPathLogits, fastPathVariables } from '../../ml/lstm/gradient-probe.ts';
import { initLstmWeights } from '../../ml/lstm/init.ts';
import { buildLayersModel } from '../../ml/lstm/layers-model.ts';
import { createRng } from '../../ml/random.ts';

function asVariable(t: tf.Tensor): tf.Variable {
  if (t instanceof tf.Variable) return t;
  throw new Error('gradient check: expected a variable');
}

async function gradsOf(f: () => tf.Scalar, vars: tf.Variable[]): Promise<Float32Array[]> {
  const { value, grads } = tf.variableGrads(f, vars);
  const out = await Promise.all(
    vars.map(async (v) => {
      const g = grads[v.name];
      if (!g) throw new Error(`gradient check: no gradient for ${v.name}`);
      return Float32Array.from(await g.data());
    }),
  );
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  return out;
}

/** Max |fast − reference| over the loss gradients of every weight and the input. */
export async function fastVsLayersGradientGap(): Promise<number> {
  const [n, T, D, H, L] = [6, 5, 4, 7, 2];
  const rng = createRng(123);
  const weights = initLstmWeights({ features: D, units: H, layers: L }, 9);
  for (const l of weights.layers) for (let i = 0; i < l.bias.length; i++) l.bias[i] = (l.bias[i] ?? 0) + 0.5 * rng.normal();
  const x = new Float32Array(n * T * D).map(() => rng.normal());
  const r = tf.tensor1d(new Float32Array(n).map(() => rng.normal()));
  const model = buildLayersModel(weights, { steps: T, dropout: 0 });
  const lstms = model.layers.filter((l) => l.getClassName() === 'LSTM');
  const xRef = tf.variable(tf.tensor3d(x, [n, T, D]));
  const refVars = [...model.trainableWeights.map((w) => asVariable(w.read())), xRef];
  const [dk, db] = refVars.slice(refVars.length - 3, refVars.length - 1);
  const ref = await gradsOf(() => {
    let h: tf.Tensor = xRef;
    for (const l of lstms) {
      const out = l.apply(h);
      if (!(out instanceof tf.Tensor)) throw new Error('gradient check: expected a tensor');
      h = out;
    }
    if (!dk || !db) throw new Error('gradient check: no dense weights');
    return tf.sum(tf.mul(tf.reshape(tf.add(tf.matMul(h, dk), db), [n]), r));
  }, refVars);
  const fastVars = fastPathVariables(weights, x, n, T, D, H);
  const fast = await gradsOf(() => tf.sum(tf.mul(fastPathLogits(fastVars, L, n), r)), fastVars);
  let gap = 0;
  fast.forEach((g, i) => {
    const other = ref[i];
    if (!other || other.length !== g.length) throw new Error(`gradient check: gradient ${i} has the wrong size`);
    for (let k = 0; k < g.length; k++) gap = Math.max(gap, Math.abs((g[k] ?? 0) - (other[k] ?? 0)));
  });
  for (const t of [...fastVars, xRef, r]) t.dispose();
  model.dispose();
  return gap;
}
