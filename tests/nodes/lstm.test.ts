import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ColumnTable } from 'arquero';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmArtifacts } from '../../src/ml/lstm/artifacts.ts';
import { exportLstmModel, importLstmModel } from '../../src/ml/lstm/model-files.ts';
import { applyScaler } from '../../src/data/sequences.ts';
import type { ModelValue, Sequences } from '../../src/engine/ports.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { runNode, syntheticShop, table, type Feed } from './intent-harness.ts';

const training = { units: 8, epochs: 6, batchSize: 32, learningRate: 0.01, folds: 4 };
let shopSequences: Sequences;

function sequencesFeed(value: Sequences): Feed {
  return { type: 'sequences', value };
}

function predictionsOf(outputs: Record<string, unknown> | undefined): ColumnTable {
  const p = outputs?.predictions;
  if (!p || typeof p !== 'object' || !('columnNames' in p)) throw new Error('no predictions');
  return p as ColumnTable;
}

function modelOf(outputs: Record<string, unknown> | undefined): ModelValue {
  const m = outputs?.model;
  if (!m || typeof m !== 'object' || !('artifacts' in m)) throw new Error('no model');
  return m as ModelValue;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  const shop = syntheticShop(160, 11);
  const run = await runNode(
    'sequence',
    { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 12, countBy: 'event', cutoff: '2024-04-01', labelSource: 'column', labelColumn: 'label' },
    { table: table(shop.activity.filter((d: { event: string }) => d.event !== 'buy')), customers: table(shop.customers) },
  );
  const s = run.outputs?.sequences;
  if (!s || typeof s !== 'object' || !('x' in s)) throw new Error(`sequences failed: ${JSON.stringify(run.status.issues)}`);
  shopSequences = s as Sequences;
});

describe('lstm node', () => {
  it('scores every customer out of fold with stratified k-fold, streams each epoch and learns the planted trend', async () => {
    const epochs: unknown[] = [];
    const run = await runNode('lstm', training, { sequences: sequencesFeed(shopSequences) }, { backend: 'wasm', onEvent: (e) => e.type === 'node-event' && epochs.push(e.event.data) });
    expect(run.status.state).toBe('done');
    const p = predictionsOf(run.outputs);
    expect(p.columnNames()).toEqual(['id', 'score', 'label', 'fold']);
    expect(p.numRows()).toBe(160);
    expect(p.array('id')).toEqual(shopSequences.ids);
    const folds = Array.from(p.array('fold'), Number);
    expect([0, 1, 2, 3].map((f) => folds.filter((x) => x === f).length)).toEqual([40, 40, 40, 40]);
    const score = Float64Array.from(p.array('score'), Number);
    expect(score.every((s) => s > 0 && s < 1)).toBe(true);
    const auc = rocAuc(Float64Array.from(p.array('label'), Number), score);
    // Rising customers buy with p = 0.85, fading ones with 0.15: a sequence model should rank them well apart.
    expect(auc).toBeGreaterThan(0.75);
    // Four folds and the final model, six epochs each (no early stopping).
    expect(epochs).toHaveLength(30);
    expect(epochs[0]).toMatchObject({ fold: 0, epoch: 1 });
    expect(epochs[29]).toMatchObject({ fold: -1, epoch: 6 });
    const history = run.outputs?.history as ColumnTable;
    expect(history.numRows()).toBe(30);
    expect(history.columnNames()).toEqual(['fold', 'epoch', 'loss', 'val_loss', 'accuracy', 'auc', 'val_auc', 'seconds']);
    const model = modelOf(run.outputs);
    expect(model.metadata.backend).toBe('wasm');
    expect(model.metadata.auc).toBeCloseTo(auc, 12);
    expect(model.metadata.validation).toBe('stratified 4-fold');
    expect(run.status.summary).toBe(`AUC ${auc.toFixed(3)} · wasm`);
    // The exported scaler was fitted on all 160 labelled customers (the final model's rows).
    expect(lstmArtifacts(model)?.scaler.rows).toBe(160);
  });

  it('gives identical predictions and history for the same seed', async () => {
    const a = await runNode('lstm', training, { sequences: sequencesFeed(shopSequences) }, { backend: 'wasm' });
    const b = await runNode('lstm', training, { sequences: sequencesFeed(shopSequences) }, { backend: 'wasm' });
    expect(Array.from(predictionsOf(b.outputs).array('score'))).toEqual(Array.from(predictionsOf(a.outputs).array('score')));
    expect((b.outputs?.history as ColumnTable).array('loss')).toEqual((a.outputs?.history as ColumnTable).array('loss'));
    const c = await runNode('lstm', training, { sequences: sequencesFeed(shopSequences) }, { backend: 'wasm', seed: 8 });
    expect(Array.from(predictionsOf(c.outputs).array('score'))).not.toEqual(Array.from(predictionsOf(a.outputs).array('score')));
  });

  it('holds out a stratified share and marks the training rows fold −1', async () => {
    const run = await runNode('lstm', { ...training, validation: 'holdout', holdoutShare: 0.25, finalModel: false }, { sequences: sequencesFeed(shopSequences) });
    const p = predictionsOf(run.outputs);
    const folds = Array.from(p.array('fold'), Number);
    // 25% of each class, rounded per class.
    const positives = shopSequences.labels.reduce((a, b) => a + b, 0);
    const held = Math.round(positives * 0.25) + Math.round((160 - positives) * 0.25);
    expect(folds.filter((f) => f === 0)).toHaveLength(held);
    expect(folds.filter((f) => f === -1)).toHaveLength(160 - held);
    expect(Math.abs(held - 40)).toBeLessThanOrEqual(1);
    expect(run.status.issues.map((i) => i.code)).toEqual(['lstm.noFinalModel']);
    expect(run.status.issues[0]?.message).toBe(`Final model off: the model output is fold 1’s model, trained on ${Math.round((100 * (160 - held)) / 160)}% of the labelled customers.`);
  });

  it('stops early and restores the best epoch when patience is set', async () => {
    const run = await runNode('lstm', { ...training, epochs: 40, learningRate: 0.05, patience: 2, folds: 2 }, { sequences: sequencesFeed(shopSequences) });
    const model = modelOf(run.outputs);
    const ran = Number(model.metadata.epochs);
    expect(ran).toBeLessThan(40);
    expect(Number(model.metadata.bestEpoch)).toBe(ran - 2);
  });

  it('applies a connected model to new sequences, and the exported TensorFlow.js files predict the same', async () => {
    const trained = await runNode('lstm', training, { sequences: sequencesFeed(shopSequences) });
    const model = modelOf(trained.outputs);
    const unlabelled: Sequences = { ...shopSequences, labels: new Float32Array(shopSequences.n).fill(Number.NaN) };
    const applied = await runNode('lstm', training, { sequences: sequencesFeed(unlabelled), model: { type: 'model', value: model } });
    expect(applied.status.state).toBe('done');
    const p = predictionsOf(applied.outputs);
    expect(new Set(p.array('fold'))).toEqual(new Set([-1]));
    expect(new Set(p.array('label'))).toEqual(new Set([null]));
    expect(applied.outputs?.history).toBeDefined();

    const files = await exportLstmModel(model);
    expect(JSON.parse(files.modelJson).weightsManifest[0].paths).toEqual(['./weights.bin']);
    // tf.loadLayersModel reads the files as written.
    const parsed = JSON.parse(files.modelJson);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0].weights, weightData: files.weightsBin.slice().buffer }));
    const artifacts = lstmArtifacts(model);
    if (!artifacts) throw new Error('no artifacts');
    const { n, steps, features } = shopSequences;
    const x = applyScaler(artifacts.scaler, shopSequences.x, n, steps, features);
    const out = loaded.predict(tf.tensor3d(x, [n, steps, features])) as tf.Tensor;
    const viaTf = Array.from(await out.data());
    out.dispose();
    loaded.dispose();
    const viaNode = Array.from(p.array('score'), Number);
    viaTf.forEach((v, i) => expect(v).toBeCloseTo(viaNode[i] ?? Number.NaN, 5));
    // And the files come back as a model that applies identically (scaler included).
    const back = await importLstmModel(files);
    const again = await runNode('lstm', training, { sequences: sequencesFeed(unlabelled), model: { type: 'model', value: back } });
    Array.from(predictionsOf(again.outputs).array('score'), Number).forEach((v, i) => expect(v).toBeCloseTo(viaNode[i] ?? Number.NaN, 6));
  });

  it('fails clearly on a single class, too few customers for the folds, NaN and a model of another width', async () => {
    const single = await runNode('lstm', training, { sequences: sequencesFeed({ ...shopSequences, labels: new Float32Array(shopSequences.n) }) });
    expect(single.status.issues[0]?.message).toBe('Every labelled customer has label 0: a model needs both buyers and non-buyers to learn from.');
    const few = { ...shopSequences, labels: Float32Array.from(shopSequences.labels, (_, i) => (i < 3 ? 1 : 0)) };
    const tooFew = await runNode('lstm', { ...training, folds: 5 }, { sequences: sequencesFeed(few) });
    expect(tooFew.status.issues[0]?.message).toBe('5-fold validation needs at least 5 customers of each class; there are 3 with label 1 and 157 with label 0.');
    const x = shopSequences.x.slice();
    x[shopSequences.steps * shopSequences.features + 2] = Number.NaN;
    const nan = await runNode('lstm', training, { sequences: sequencesFeed({ ...shopSequences, x }) });
    expect(nan.status.issues[0]?.message).toBe(`The sequences hold NaN for customer "${shopSequences.ids[1]}" at step "${shopSequences.stepLabels[0]}", feature "${shopSequences.featureNames[2]}"; every value must be a finite number.`);
    const model = modelOf((await runNode('lstm', { ...training, folds: 2, epochs: 1 }, { sequences: sequencesFeed(shopSequences) })).outputs);
    const narrow: Sequences = { ...shopSequences, x: new Float32Array(shopSequences.n * shopSequences.steps), features: 1, featureNames: ['one'] };
    const mismatch = await runNode('lstm', training, { sequences: sequencesFeed(narrow), model: { type: 'model', value: model } });
    expect(mismatch.status.issues[0]?.code).toBe('lstm.modelMismatch');
  });

  it('stops within one batch when the run is cancelled', async () => {
    const controller = new AbortController();
    let seen = 0;
    const run = await runNode('lstm', { ...training, epochs: 50, batchSize: 8 }, { sequences: sequencesFeed(shopSequences) }, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node-event') {
          seen++;
          controller.abort();
        }
      },
    });
    expect(run.status.state).toBe('cancelled');
    expect(seen).toBe(1);
  });
});
