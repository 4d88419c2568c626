/**
 * The lstm node's work (nodes/lstm.ts loads this file when an LSTM first runs, so that a
 * pipeline without one never loads TensorFlow.js): the checks, the k-fold or hold-out
 * training through src/ml/lstm/fold-training.ts, and applying a connected model.
 */
import * as tf from '@tensorflow/tfjs';
import type { ColumnTable } from 'arquero';
import { applyScaler, findNonFinite, SCALING_METHODS, type SequenceScaling } from '../../src/data/sequences.ts';
import { inProcessPool } from '../../src/engine/parallel.ts';
import { choiceJson, type BackendChoice } from '../../src/ml/backend-choice.ts';
import { isAbortError, LstmBackendFailure, LstmInputError, predictLstm, type LstmOptions } from '../../src/ml/lstm/index.ts';
import { lstmArtifacts, type LstmArtifacts } from '../../src/ml/lstm/artifacts.ts';
import { labelledRows, trainLstmFolds } from '../../src/ml/lstm/fold-training.ts';
import { exportLstmModel } from '../../src/ml/lstm/model-files.ts';
import { epochJson, lstmHistoryTable, lstmPredictionsTable } from '../../src/ml/lstm/tables.ts';
import type { JsonObject, ModelValue, NodeContext, Sequences } from '../define.ts';
import type { LstmParams } from '../lstm.ts';

export { exportLstmModel };

/** The lstm node's run: checks the sequences, then trains (or applies the connected model). */
export async function runLstm({ sequences, model }: { sequences: Sequences; model?: ModelValue | undefined }, params: LstmParams, ctx: NodeContext): Promise<Outputs> {
  const { n, steps, features } = sequences;
  const bad = findNonFinite(sequences.x, n, steps, features);
  if (bad) ctx.fail('nonFinite', { value: bad.value, id: sequences.ids[bad.row] ?? String(bad.row), step: sequences.stepLabels[bad.step] ?? bad.step, feature: sequences.featureNames[bad.feature] ?? bad.feature });
  const backend = ctx.host.backend();
  try {
    if (model) return await applyModel(sequences, model, ctx);
    return await train(sequences, params, ctx, backend);
  } catch (err) {
    if (isAbortError(err)) throw err;
    if (err instanceof LstmInputError) return ctx.fail('kernelInput', { reason: err.message });
    if (err instanceof LstmBackendFailure) return ctx.fail('kernelInput', { reason: `backend ${err.backend} failed: ${err.message}` });
    throw err;
  }
}

function scalingOf(sequences: Sequences): SequenceScaling {
  const method = sequences.meta.scaling;
  return SCALING_METHODS.find((m) => m === method) ?? 'log-standard';
}

type Outputs = { predictions: ColumnTable; model: ModelValue; history: ColumnTable };

async function train(sequences: Sequences, params: LstmParams, ctx: NodeContext, hostBackend: string): Promise<Outputs> {
  const { steps, features } = sequences;
  const { labelled, unlabelled, positives } = labelledRows(sequences.labels);
  if (labelled.length === 0) ctx.fail('noLabels');
  const negatives = labelled.length - positives;
  if (positives === 0 || negatives === 0) ctx.fail('singleClass', { label: positives === 0 ? 0 : 1 });
  if (params.validation === 'kfold' && Math.min(positives, negatives) < params.folds) ctx.fail('tooFewForFolds', { folds: params.folds, positives, negatives }, 'folds');
  if (params.validation === 'holdout' && Math.min(positives, negatives) < 2) ctx.fail('tooFewForHoldout', { positives, negatives }, 'holdoutShare');
  if (unlabelled.length > 0) ctx.warn('unlabelled', { count: unlabelled.length });

  const method = scalingOf(sequences);
  const seed = ctx.random.uint32();
  const { units, layers, dropout, epochs, batchSize, learningRate, patience, classWeight, implementation } = params;
  const options: LstmOptions = { units, layers, dropout, epochs, batchSize, learningRate, patience, classWeight, seed, implementation };
  const choice: BackendChoice = ctx.host.chooseBackend
    ? await ctx.host.chooseBackend({ steps, features, units, layers, batchSize: Math.min(batchSize, labelled.length) })
    : { backend: hostBackend, reason: 'only', probes: [] };
  ctx.checkCancelled();
  const pool = ctx.host.pool ?? inProcessPool;
  const cv = await trainLstmFolds({
    data: sequences,
    ids: sequences.ids,
    splitSeed: ctx.seed,
    scaling: method,
    options,
    scheme: params.validation === 'kfold' ? { kind: 'kfold', folds: params.folds } : { kind: 'holdout', share: params.holdoutShare },
    earlyStoppingShare: params.earlyStoppingShare,
    finalModel: params.finalModel,
    backend: choice.backend,
    pool,
    signal: ctx.signal,
    onEpoch: (fold, r) => ctx.emit({ type: 'epoch', data: { fold, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss, accuracy: r.accuracy, auc: r.auc, valAuc: r.valAuc } }),
    onProgress: (fraction, running) => ctx.progress(fraction, running),
    onFallback: (r) => ctx.warn('backendFallback', { from: r.from, to: r.to, reason: r.reason, epochs: r.epochsCompleted + 1 }),
  });
  const first = cv.folds[0];
  if (!cv.final && first) ctx.warn('noFinalModel', { share: Math.round((100 * first.plan.trainRows.length) / labelled.length) });
  const final = cv.output;
  const trainings = [...cv.folds, ...(cv.final ? [cv.final] : [])];
  const history = lstmHistoryTable(trainings.flatMap(({ plan, model }) => model.history.map((r) => ({ ...r, fold: plan.fold }))));
  const metadata: JsonObject = {
    backend: final.model.backend,
    hostBackend,
    backendChoice: choiceJson(choice),
    lanes: Math.min(pool.lanes, trainings.length),
    engine: final.model.engine,
    seed,
    units,
    layers,
    dropout,
    epochs: final.model.epochsRun,
    bestEpoch: final.model.bestEpoch,
    learningRate,
    batchSize,
    classWeight,
    implementation,
    validation: params.validation === 'kfold' ? `stratified ${params.folds}-fold` : `stratified hold-out ${params.holdoutShare}`,
    auc: Number.isFinite(cv.auc) ? cv.auc : null,
    scoredRows: cv.scoredRows.length,
    trainedOn: final.plan.trainRows.length,
    steps,
    features,
    featureNames: sequences.featureNames,
    scaling: method,
    history: final.model.history.map((r) => epochJson(r)),
    foldEpochs: trainings.map((t) => t.model.epochsRun),
  };
  const folds = { ids: cv.scoredRows.map((r) => sequences.ids[r] ?? ''), fold: Int32Array.from(cv.scoredRows, (r) => cv.fold[r] ?? 0), weights: cv.folds.map((f) => f.model.weights), scalers: cv.folds.map((f) => f.scaler) };
  const artifacts: LstmArtifacts = { format: 'insight-lstm', weights: final.model.weights, scaler: final.scaler, steps, dropout, featureNames: sequences.featureNames, folds };
  ctx.progress(1);
  return { predictions: lstmPredictionsTable(sequences.ids, cv.score, sequences.labels, cv.fold), model: { kind: 'lstm', metadata, artifacts }, history };
}

async function applyModel(sequences: Sequences, model: ModelValue, ctx: NodeContext): Promise<Outputs> {
  const a = lstmArtifacts(model);
  if (!a) return ctx.fail('badModel', { kind: model.kind }, 'model');
  const { n, steps, features } = sequences;
  if (a.weights.features !== features) ctx.fail('modelMismatch', { expected: a.weights.features, expectedNames: a.featureNames.join(', '), actual: features });
  const scaled = applyScaler(a.scaler, sequences.x, n, steps, features);
  const score = await predictLstm(a.weights, scaled, n, steps, features);
  ctx.progress(1);
  return { predictions: lstmPredictionsTable(sequences.ids, score, sequences.labels, new Int32Array(n).fill(-1)), model: { ...model, metadata: { ...model.metadata, applied: true, backend: tf.getBackend() } }, history: lstmHistoryTable([]) };
}
