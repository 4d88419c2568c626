import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { idbModelHandler, joinWeightData } from '../../src/storage/model-handler.ts';
import { ProjectStore } from '../../src/storage/project-store.ts';

/** The one output tensor of a single-output model. */
function single(out: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(out)) throw new Error('expected one output');
  return out;
}

const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'M', description: '', seed: 1, nodes: [], edges: [], notes: [] };

describe('the IndexedDB model handler', () => {
  let store: ProjectStore;
  const name = crypto.randomUUID();
  beforeAll(async () => {
    await tf.setBackend('cpu');
    store = await ProjectStore.open({ name });
  });
  afterAll(() => store.close());

  it('saves a trained tfjs model and loads it back with identical predictions, after reopening the database', async () => {
    const project = await store.create(doc);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }),
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) }),
      ],
    });
    const x = tf.tensor2d([[0.1, 0.2, 0.3], [1, -1, 0.5]]);
    const before = Array.from(await single(model.predict(x)).data());
    const result = await model.save(idbModelHandler(store, project.id, 'lstm1'));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((3 * 4 + 4 + 4 * 1 + 1) * 4);
    store.close();
    store = await ProjectStore.open({ name });
    const loaded = await tf.loadLayersModel(idbModelHandler(store, project.id, 'lstm1'));
    const after = Array.from(await single(loaded.predict(x)).data());
    expect(after.length).toBe(2);
    after.forEach((value, i) => expect(value).toBeCloseTo(before[i] ?? NaN, 6));
    tf.dispose([x]);
  });

  it('says which model is missing instead of loading nothing', async () => {
    const project = await store.create(doc);
    await expect(tf.loadLayersModel(idbModelHandler(store, project.id, 'none'))).rejects.toThrow('No stored model "none" in this project; train it first.');
  });

  it('joins weight data handed over as several buffers', () => {
    const joined = new Uint8Array(joinWeightData([new Uint8Array([1, 2]).buffer, new Uint8Array([3]).buffer]));
    expect(Array.from(joined)).toEqual([1, 2, 3]);
  });
});
