import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromLayersModel, toLayersModel } from '../../../src/ml/lstm/layers-model.ts';
import { predictLstm } from '../../../src/ml/lstm/predict.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { trainLstm } from '../../../src/ml/lstm/train.ts';
import type { TrainedLstm } from '../../../src/ml/lstm/types.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

describe('export as a tf.layers model', () => {
  const data = syntheticSequences({ n: 64, steps: 5, features: 4 }, 2);
  let model: TrainedLstm;

  beforeAll(async () => {
    await selectBackend(['wasm']);
    model = await trainLstm(data, null, {
      units: 6,
      layers: 2,
      dropout: 0.25,
      epochs: 2,
      batchSize: 16,
      learningRate: 0.01,
      patience: 0,
      classWeight: 'none',
      seed: 4,
      implementation: 'fast',
    });
  });

  it('saves model.json + weights that tf.loadLayersModel reads back, predicting the same probabilities', async () => {
    const layers = toLayersModel(model);
    const saved: { artifacts: tf.io.ModelArtifacts | null } = { artifacts: null };
    await layers.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved.artifacts = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const artifacts = saved.artifacts;
    if (!artifacts) throw new Error('nothing was saved');
    expect(artifacts.weightSpecs?.map((w) => w.shape)).toEqual([[4, 24], [6, 24], [24], [6, 24], [6, 24], [24], [6, 1], [1]]);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.tensor3d(data.x, [64, 5, 4]);
    const out = loaded.predict(x);
    if (!(out instanceof tf.Tensor)) throw new Error('expected one output');
    const fromTf = Float32Array.from(out.dataSync());
    const fromKernel = await predictLstm(model, data.x, 64, 5, 4);
    let worst = 0;
    fromKernel.forEach((p, i) => {
      worst = Math.max(worst, Math.abs(p - (fromTf[i] as number)));
    });
    expect(worst).toBeLessThan(1e-5);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['LSTM', 'LSTM', 'Dropout', 'Dense']);
    x.dispose();
    out.dispose();
    loaded.dispose();
    layers.dispose();
  });

  it('fromLayersModel returns exactly the weights that went in', () => {
    const layers = toLayersModel(model);
    const back = fromLayersModel(layers);
    expect(back.features).toBe(4);
    expect(back.layers.map((l) => [l.inputSize, l.units])).toEqual([
      [4, 6],
      [6, 6],
    ]);
    back.layers.forEach((l, i) => {
      const src = model.weights.layers[i];
      expect(Array.from(l.kernel)).toEqual(Array.from(src?.kernel ?? []));
      expect(Array.from(l.recurrentKernel)).toEqual(Array.from(src?.recurrentKernel ?? []));
      expect(Array.from(l.bias)).toEqual(Array.from(src?.bias ?? []));
    });
    expect(Array.from(back.dense.kernel)).toEqual(Array.from(model.weights.dense.kernel));
    layers.dispose();
  });

  it('refuses a model whose LSTM uses tfjs\' default hardSigmoid gates', () => {
    const other = tf.sequential();
    other.add(tf.layers.lstm({ units: 3, inputShape: [5, 4] }));
    other.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    expect(() => fromLayersModel(other)).toThrow(/uses activation tanh and recurrentActivation hardSigmoid; only tanh and sigmoid are supported/);
    other.dispose();
  });

  it('predictLstm applies saved weights to new data and checks the feature count', async () => {
    const fresh = syntheticSequences({ n: 10, steps: 5, features: 4 }, 99);
    const probs = await predictLstm(model.weights, fresh.x, 10, 5, 4);
    expect(probs.length).toBe(10);
    expect(Array.from(probs).every((p) => p > 0 && p < 1)).toBe(true);
    await expect(predictLstm(model, fresh.x, 10, 4, 5)).rejects.toThrow('the model expects 4 features per step, got 5.');
  });
});
