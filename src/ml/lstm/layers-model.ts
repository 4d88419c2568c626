/**
 * Conversion between plain LstmWeights and tf.layers models: the reference implementation
 * trains one, and a trained model is exported as one so that `model.save()` writes the
 * model.json + weights.bin pair that `tf.loadLayersModel` reads back.
 */
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights, TrainedLstm } from './types.ts';

/** What a tf.layers model of this network needs to know beyond its weights. */
export interface LayersModelShape {
  /** Timesteps per sequence. */
  steps: number;
  /** Dropout rate of the layer between the last LSTM and the dense output. */
  dropout: number;
}

/**
 * Builds LSTM layers (sequences returned by all but the last) → Dropout → Dense(1, sigmoid),
 * with the standard LSTM activations (tanh, sigmoid gates), holding the given weights.
 * Initialisers are 'zeros' because the weights are set right after; this avoids tfjs'
 * slow QR-based orthogonal initialiser.
 */
export function buildLayersModel(weights: LstmWeights, shape: LayersModelShape): tf.Sequential {
  const model = tf.sequential();
  const L = weights.layers.length;
  weights.layers.forEach((layer, l) => {
    model.add(
      tf.layers.lstm({
        units: layer.units,
        returnSequences: l < L - 1,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        kernelInitializer: 'zeros',
        recurrentInitializer: 'zeros',
        biasInitializer: 'zeros',
        ...(l === 0 ? { inputShape: [shape.steps, weights.features] } : {}),
      }),
    );
  });
  model.add(tf.layers.dropout({ rate: shape.dropout }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' }));
  setLayersWeights(model, weights);
  return model;
}

/** Copies plain weights into a model built by buildLayersModel. */
export function setLayersWeights(model: tf.LayersModel, weights: LstmWeights): void {
  const tensors = tf.tidy(() => [
    ...weights.layers.flatMap((l) => [
      tf.tensor2d(l.kernel, [l.inputSize, 4 * l.units]),
      tf.tensor2d(l.recurrentKernel, [l.units, 4 * l.units]),
      tf.tensor1d(l.bias),
    ]),
    tf.tensor2d(weights.dense.kernel, [weights.dense.kernel.length, 1]),
    tf.tensor1d(weights.dense.bias),
  ]);
  model.setWeights(tensors);
  for (const t of tensors) t.dispose();
}

/** The model as a tf.layers model (LSTM… → Dropout → Dense(1, sigmoid)) for saving or serving. */
export function toLayersModel(model: TrainedLstm): tf.LayersModel {
  return buildLayersModel(model.weights, { steps: model.steps, dropout: model.options.dropout });
}

function configString(layer: tf.layers.Layer, key: string): string | null {
  const value = layer.getConfig()[key];
  return typeof value === 'string' ? value : null;
}

/** The LSTM and Dense layers of a model, checked to be the network this kernel runs. */
function checkedLayers(model: tf.LayersModel): { lstms: tf.layers.Layer[]; dense: tf.layers.Layer; features: number } {
  const lstms = model.layers.filter((l) => l.getClassName() === 'LSTM');
  const denses = model.layers.filter((l) => l.getClassName() === 'Dense');
  const others = model.layers.filter((l) => !['LSTM', 'Dense', 'Dropout', 'InputLayer'].includes(l.getClassName()));
  const dense = denses[0];
  if (lstms.length === 0 || !dense || denses.length !== 1 || others.length > 0) {
    throw new Error(
      `fromLayersModel: expected LSTM layers, an optional Dropout and one Dense layer; got ${model.layers.map((l) => l.getClassName()).join(', ')}.`,
    );
  }
  for (const l of lstms) {
    const act = configString(l, 'activation');
    const rec = configString(l, 'recurrentActivation');
    if (act !== 'tanh' || rec !== 'sigmoid') {
      throw new Error(`fromLayersModel: LSTM layer "${l.name}" uses activation ${String(act)} and recurrentActivation ${String(rec)}; only tanh and sigmoid are supported.`);
    }
  }
  const outAct = configString(dense, 'activation');
  if (outAct !== 'sigmoid') throw new Error(`fromLayersModel: the Dense layer uses activation ${String(outAct)}; expected sigmoid.`);
  const shape = model.inputs[0]?.shape;
  const features = shape ? shape[shape.length - 1] : null;
  if (typeof features !== 'number') throw new Error('fromLayersModel: the model input has no known feature count.');
  return { lstms, dense, features };
}

/** Assembles LstmWeights from each layer's weight arrays, in model order. */
function assemble(features: number, lstmValues: Float32Array[][], denseValues: Float32Array[]): LstmWeights {
  let inputSize = features;
  const layers = lstmValues.map((values, i) => {
    const [kernel, recurrentKernel, bias] = values;
    if (!kernel || !recurrentKernel || !bias) throw new Error(`fromLayersModel: LSTM layer ${i} must have a kernel, recurrent kernel and bias.`);
    const units = bias.length / 4;
    const out = { inputSize, units, kernel, recurrentKernel, bias };
    inputSize = units;
    return out;
  });
  const [kernel, bias] = denseValues;
  if (!kernel || !bias || bias.length !== 1) throw new Error('fromLayersModel: the Dense layer must have one output with a bias.');
  return { features, layers, dense: { kernel, bias } };
}

/**
 * Reads LstmWeights back from a tf.layers model with LSTM layers and a Dense(1) output,
 * e.g. one loaded with tf.loadLayersModel. Throws when the model is not of that shape or
 * uses other activations than the standard LSTM (tanh, sigmoid gates) and a sigmoid output.
 */
export function fromLayersModel(model: tf.LayersModel): LstmWeights {
  const { lstms, dense, features } = checkedLayers(model);
  const values = (layer: tf.layers.Layer): Float32Array[] => layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
  return assemble(features, lstms.map(values), values(dense));
}

/** fromLayersModel with asynchronous reads (GPU backends). */
export async function fromLayersModelAsync(model: tf.LayersModel): Promise<LstmWeights> {
  const { lstms, dense, features } = checkedLayers(model);
  const values = (layer: tf.layers.Layer): Promise<Float32Array[]> =>
    Promise.all(layer.getWeights().map(async (w) => Float32Array.from(await w.data())));
  return assemble(features, await Promise.all(lstms.map(values)), await values(dense));
}
