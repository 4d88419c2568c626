import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelValue } from '../../../src/engine/ports.ts';
import { lstmArtifacts, type LstmArtifacts } from '../../../src/ml/lstm/artifacts.ts';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { exportLstmModel, importLstmModel, trainedFromModel } from '../../../src/ml/lstm/model-files.ts';
import { predictLstm } from '../../../src/ml/lstm/predict.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

const data = syntheticSequences({ n: 20, steps: 3, features: 4 }, 9);

function lstmModel(): ModelValue {
  const weights = initLstmWeights({ features: 4, units: 5, layers: 2 }, 3);
  const artifacts: LstmArtifacts = { format: 'insight-lstm', weights, scaler: { method: 'standard', mean: [0.1, 0.2, 0.3, 0.4], std: [1, 2, 3, 4], rows: 20 }, steps: 3, dropout: 0.1, featureNames: ['a', 'b', 'c', 'd'] };
  return { kind: 'lstm', metadata: { backend: 'wasm' }, artifacts };
}

describe('LSTM model files', () => {
  beforeAll(async () => {
    await selectBackend(['wasm']);
  });

  it('reads a model port value back as the trained shape toLayersModel needs', () => {
    const trained = trainedFromModel(lstmModel());
    expect(trained?.options.units).toBe(5);
    expect(trained?.options.layers).toBe(2);
    expect(trained?.options.dropout).toBe(0.1);
    expect(trained?.backend).toBe('wasm');
    expect(trainedFromModel({ kind: 'classify', metadata: {}, artifacts: {} })).toBeNull();
  });

  it('round-trips through model.json and weights.bin: same scaler, names and predictions (within 1e-6)', async () => {
    const model = lstmModel();
    const files = await exportLstmModel(model);
    expect(JSON.parse(files.modelJson).weightsManifest[0].paths).toEqual(['./weights.bin']);
    const back = await importLstmModel(files);
    const a = lstmArtifacts(model);
    const b = lstmArtifacts(back);
    if (!a || !b) throw new Error('expected LSTM artifacts on both sides');
    expect(b.scaler).toEqual(a.scaler);
    expect(b.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(b.steps).toBe(3);
    expect(b.dropout).toBe(0.1);
    const before = await predictLstm(a.weights, data.x, data.n, data.steps, data.features);
    const after = await predictLstm(b.weights, data.x, data.n, data.steps, data.features);
    after.forEach((v, i) => expect(Math.abs(v - (before[i] ?? Number.NaN))).toBeLessThan(1e-6));
  });

  it('refuses to export a model that is not an LSTM, naming its kind', async () => {
    await expect(exportLstmModel({ kind: 'classify', metadata: {}, artifacts: {} })).rejects.toThrow('kind "classify"');
  });

  it('takes a model.json without insight metadata as already scaled inputs', async () => {
    const files = await exportLstmModel(lstmModel());
    const parsed = JSON.parse(files.modelJson);
    delete parsed.userDefinedMetadata;
    const back = await importLstmModel({ modelJson: JSON.stringify(parsed), weightsBin: files.weightsBin });
    const b = lstmArtifacts(back);
    expect(b?.scaler).toEqual({ method: 'none', mean: [0, 0, 0, 0], std: [1, 1, 1, 1], rows: 0 });
    expect(b?.featureNames).toEqual(['feature_0', 'feature_1', 'feature_2', 'feature_3']);
  });
});
