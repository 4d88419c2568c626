/**
 * Shared pieces of the checks that compare the fast LSTM path (tfjs-fast.ts) with
 * tf.layers.lstm on one small case: the fast path's variables and logits, and the
 * reference layers applied in turn. Used by the equivalence tests and the bench's
 * gradient check.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmLayer } from './tfjs-fast.ts';
import type { LstmWeights } from './types.ts';

/**
 * Variables for the fast path from plain weights of H units and a batch x [n, T, D]: per layer
 * kernel, recurrent kernel and bias; then dense kernel and dense bias; then x itself (last).
 */
export function fastPathVariables(weights: LstmWeights, x: Float32Array, n: number, T: number, D: number, H: number): tf.Variable[] {
  return [
    ...weights.layers.flatMap((l) => [
      tf.variable(tf.tensor2d(l.kernel, [l.inputSize, 4 * H])),
      tf.variable(tf.tensor2d(l.recurrentKernel, [H, 4 * H])),
      tf.variable(tf.tensor1d(l.bias)),
    ]),
    tf.variable(tf.tensor2d(weights.dense.kernel, [H, 1])),
    tf.variable(tf.tensor1d(weights.dense.bias)),
    tf.variable(tf.tensor3d(x, [n, T, D])),
  ];
}

/** The logits [n] of the fast path over `layers` stacked layers, from variables laid out as fastPathVariables makes them. */
export function fastPathLogits(vars: tf.Variable[], layers: number, n: number): tf.Tensor {
  const at = (i: number): tf.Variable => {
    const v = vars[i];
    if (!v) throw new Error(`gradient probe: no variable ${i}`);
    return v;
  };
  const L = layers;
  let seq: tf.Tensor = tf.transpose(at(vars.length - 1), [1, 0, 2]);
  for (let l = 0; l < L; l++) seq = lstmLayer(seq, at(3 * l), at(3 * l + 1), at(3 * l + 2), l < L - 1);
  return tf.reshape(tf.add(tf.matMul(seq, at(3 * L)), at(3 * L + 1)), [n]);
}
