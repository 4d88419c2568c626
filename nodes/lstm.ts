/**
 * LSTM: trains the purchase-intent model on sequences and scores every customer.
 *
 * Validation is stratified k-fold (out-of-fold predictions for every labelled customer) or a
 * stratified hold-out share. Inside each fold the feature scaler named by the sequence node is
 * fitted on that fold's training rows only and then applied to its held-out rows, so no scored
 * customer influences the scaling or the weights that score it. With patience > 0, early
 * stopping watches a stratified slice of the fold's training rows (never the scored rows) and
 * restores the best epoch's weights; with patience 0 the validation columns of the history are
 * computed on the scored rows for display only.
 *
 * A final model is then trained on every labelled row (scaler fitted on them all) and is the
 * model output: it scores unlabelled customers and is what a person exports. With a `model`
 * input connected the node trains nothing: it applies that model (and its stored scaler) to the
 * sequences.
 */
import * as tf from '@tensorflow/tfjs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { applyScaler, findNonFinite, fitScaler, SCALING_METHODS, type SequenceScaling, type SequenceScaler } from '../src/data/sequences.ts';
import { assertNever } from '../src/engine/errors.ts';
import { inProcessPool } from '../src/engine/parallel.ts';
import { describeChoice, type BackendChoice } from '../src/ml/backend-choice.ts';
import { crossValidate, stratifiedHoldout, type FoldPlan, type ValidationScheme } from '../src/ml/cross-validate.ts';
import {
  isAbortError,
  LstmBackendFailure,
  LstmInputError,
  fromLayersModelAsync,
  lstmFitTask,
  predictLstm,
  subsetSequences,
  toLayersModel,
  type EpochRecord,
  type LstmFitInput,
  type LstmOptions,
  type SequenceSet,
  type TrainedLstm,
} from '../src/ml/lstm/index.ts';
import { isScaler, isStringArray, lstmArtifacts, type LstmArtifacts } from '../src/ml/lstm/artifacts.ts';
import { rocAuc } from '../src/ml/metrics.ts';
import { deriveSeed } from '../src/ml/random.ts';
import { boolean, defineNode, error, integer, number, oneOf, optional, warning, type ExportFile, type JsonObject, type ModelValue, type NodeContext, type ParamValues, type Sequences } from './define.ts';

export { lstmArtifacts, type LstmArtifacts };

/** The TrainedLstm shape that the kernel's toLayersModel needs, from a model port value. */
export function trainedFromModel(model: ModelValue): TrainedLstm | null {
  const a = lstmArtifacts(model);
  if (!a) return null;
  const first = a.weights.layers[0];
  return {
    weights: a.weights,
    options: { ...DEFAULT_TRAINING, units: first?.units ?? 1, layers: a.weights.layers.length, dropout: a.dropout },
    steps: a.steps,
    history: [],
    bestEpoch: 0,
    epochsRun: 0,
    backend: typeof model.metadata.backend === 'string' ? model.metadata.backend : 'unknown',
    engine: 'native-simd',
  };
}

/** TensorFlow.js files of a model: model.json text (topology, weights manifest, scaler) and weights.bin bytes. */
export interface LstmModelFiles {
  /** Contents of model.json; its weights manifest points at ./weights.bin. */
  modelJson: string;
  /** Contents of weights.bin. */
  weightsBin: Uint8Array;
}

/**
 * The model as TensorFlow.js files that tf.loadLayersModel reads (model.json + weights.bin).
 * The scaler and feature names travel in model.json's userDefinedMetadata.insight, so
 * importLstmModel can apply the model to new raw sequences exactly as this node does.
 */
export async function exportLstmModel(model: ModelValue): Promise<LstmModelFiles> {
  const trained = trainedFromModel(model);
  const a = lstmArtifacts(model);
  if (!trained || !a) throw new Error(`exportLstmModel: the model is not an LSTM made by the lstm node (kind ${JSON.stringify(model.kind)}).`);
  const layers = toLayersModel(trained);
  layers.setUserDefinedMetadata({ insight: { format: 'insight-lstm', scaler: { ...a.scaler }, featureNames: a.featureNames, steps: a.steps, dropout: a.dropout } });
  let saved: tf.io.ModelArtifacts | null = null;
  await layers.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  layers.dispose();
  const artifacts: tf.io.ModelArtifacts | null = saved;
  if (artifacts === null) throw new Error('exportLstmModel: TensorFlow.js saved nothing.');
  const { modelTopology, weightSpecs, weightData, format, generatedBy, convertedBy, userDefinedMetadata } = artifacts;
  const manifest = [{ paths: ['./weights.bin'], weights: weightSpecs ?? [] }];
  const modelJson = JSON.stringify({ modelTopology, format, generatedBy, convertedBy, weightsManifest: manifest, userDefinedMetadata });
  const bytes = weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(weightData);
  return { modelJson, weightsBin: new Uint8Array(bytes) };
}

/** The model as the files a person downloads: model.json and weights.bin (the names model.json's manifest uses). */
async function lstmModelFiles(model: ModelValue): Promise<ExportFile[]> {
  const files = await exportLstmModel(model);
  return [
    { filename: 'model.json', mime: 'application/json', data: files.modelJson },
    { filename: 'weights.bin', mime: 'application/octet-stream', data: files.weightsBin },
  ];
}

/** Reads model.json + weights.bin written by exportLstmModel back into a model port value. */
export async function importLstmModel(files: LstmModelFiles): Promise<ModelValue> {
  const parsed: unknown = JSON.parse(files.modelJson);
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed) || !('weightsManifest' in parsed)) throw new Error('importLstmModel: model.json has no modelTopology or weightsManifest.');
  const manifest = parsed.weightsManifest;
  const specs: tf.io.WeightsManifestEntry[] = [];
  if (Array.isArray(manifest)) for (const group of manifest) if (typeof group === 'object' && group !== null && 'weights' in group && Array.isArray(group.weights)) specs.push(...group.weights.filter(isWeightSpec));
  const topology = parsed.modelTopology;
  if (typeof topology !== 'object' || topology === null) throw new Error('importLstmModel: modelTopology is not an object.');
  const weightData = files.weightsBin.slice().buffer;
  const layers = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: { ...topology }, weightSpecs: specs, weightData }));
  const weights = await fromLayersModelAsync(layers);
  layers.dispose();
  const meta = 'userDefinedMetadata' in parsed && typeof parsed.userDefinedMetadata === 'object' && parsed.userDefinedMetadata !== null && 'insight' in parsed.userDefinedMetadata ? parsed.userDefinedMetadata.insight : null;
  const insight = typeof meta === 'object' && meta !== null ? meta : {};
  const scaler = 'scaler' in insight && isScaler(insight.scaler) ? insight.scaler : null;
  const steps = 'steps' in insight && typeof insight.steps === 'number' ? insight.steps : 1;
  const featureNames = 'featureNames' in insight && isStringArray(insight.featureNames) ? insight.featureNames : Array.from({ length: weights.features }, (_, j) => `feature_${j}`);
  const dropout = 'dropout' in insight && typeof insight.dropout === 'number' ? insight.dropout : 0;
  // A model from elsewhere carries no scaler: its inputs are taken as already scaled.
  const used: SequenceScaler = scaler ?? { method: 'none', mean: new Array<number>(weights.features).fill(0), std: new Array<number>(weights.features).fill(1), rows: 0 };
  const artifacts: LstmArtifacts = { format: 'insight-lstm', weights, scaler: used, steps, dropout, featureNames };
  return { kind: 'lstm', metadata: { imported: true, steps, features: weights.features, featureNames, scaling: used.method }, artifacts };
}

function isWeightSpec(v: unknown): v is tf.io.WeightsManifestEntry {
  return typeof v === 'object' && v !== null && 'name' in v && 'shape' in v && 'dtype' in v && typeof v.name === 'string' && Array.isArray(v.shape);
}

const DEFAULT_TRAINING: LstmOptions = {
  units: 16,
  layers: 1,
  dropout: 0,
  epochs: 8,
  batchSize: 64,
  learningRate: 0.01,
  patience: 0,
  classWeight: 'none',
  seed: 0,
  implementation: 'fast',
};

/** The lstm node's params; LstmParams below is their value type. */
const lstmParams = {
  units: integer(DEFAULT_TRAINING.units, { label: 'Units', min: 1, max: 512, help: 'Hidden units per LSTM layer.', group: 'Network' }),
  layers: integer(DEFAULT_TRAINING.layers, { label: 'Layers', min: 1, max: 4, help: 'Stacked LSTM layers.', group: 'Network' }),
  dropout: number(DEFAULT_TRAINING.dropout, { label: 'Dropout', min: 0, max: 0.9, step: 0.05, help: 'Share of the last layer’s outputs dropped while training.', group: 'Network' }),
  epochs: integer(DEFAULT_TRAINING.epochs, { label: 'Epochs', min: 1, max: 1000, group: 'Training' }),
  batchSize: integer(DEFAULT_TRAINING.batchSize, { label: 'Batch size', min: 1, max: 8192, group: 'Training' }),
  learningRate: number(DEFAULT_TRAINING.learningRate, { label: 'Learning rate', min: 1e-6, max: 1, step: 0.001, help: 'Adam step size.', group: 'Training' }),
  patience: integer(DEFAULT_TRAINING.patience, { label: 'Patience', min: 0, max: 200, help: 'Stop after this many epochs without a lower validation loss and restore the best weights; 0 = train every epoch.', group: 'Training' }),
  earlyStoppingShare: number(0.15, { label: 'Early-stopping share', min: 0.05, max: 0.5, step: 0.05, help: 'Share of each fold’s training rows watched by early stopping (only when patience > 0).', group: 'Training' }),
  classWeight: oneOf(['none', 'balanced'], 'none', { label: 'Class weights', help: 'balanced weighs each class by n / (2 · its count) in the loss.', group: 'Training' }),
  validation: oneOf(['kfold', 'holdout'], 'kfold', { label: 'Validation', help: 'Stratified k-fold scores every customer out of fold; hold-out scores a share.', group: 'Validation' }),
  folds: integer(5, { label: 'Folds', min: 2, max: 20, group: 'Validation', showIf: { validation: ['kfold'] } }),
  holdoutShare: number(0.2, { label: 'Hold-out share', min: 0.05, max: 0.5, step: 0.05, group: 'Validation', showIf: { validation: ['holdout'] } }),
  finalModel: boolean(true, { label: 'Final model on all rows', help: 'Train the exported model on every labelled customer after validation.', group: 'Validation' }),
  implementation: oneOf(['fast', 'layers'], 'fast', { label: 'Implementation', help: 'fast: hand-written LSTM kernels; layers: the tf.layers.lstm reference.', group: 'Network' }),
};

/** The lstm node. */
export const lstm = defineNode({
  kind: 'lstm',
  version: 1,
  label: 'LSTM',
  description: 'Trains an LSTM on the sequences with stratified k-fold or hold-out validation and scores every customer.',
  category: 'model',
  parallel: true,
  inputs: { sequences: 'sequences', model: optional('model', 'Saved model (apply instead of training)') },
  outputs: { predictions: 'predictions', model: 'model', history: 'table' },
  params: lstmParams,
  modelFiles: { lstm: lstmModelFiles },
  messages: {
    nonFinite: error('The sequences hold {value} for customer {id} at step {step}, feature {feature}; every value must be a finite number.'),
    noLabels: error('No customer has a label (0 or 1): connect sequences with a label to train, or connect a saved model to score them.'),
    singleClass: error('Every labelled customer has label {label}: a model needs both buyers and non-buyers to learn from.'),
    tooFewForFolds: error('{folds}-fold validation needs at least {folds} customers of each class; there are {positives} with label 1 and {negatives} with label 0.'),
    tooFewForHoldout: error('A hold-out needs at least 2 customers of each class; there are {positives} with label 1 and {negatives} with label 0.'),
    badModel: error('The connected model is not an LSTM made by this node (kind {kind}).'),
    modelMismatch: error('The connected model expects {expected} features per step ({expectedNames}); the sequences have {actual}.'),
    unlabelled: warning('{count} customers have no label: they are scored by the final model and marked fold −1.'),
    backendFallback: warning('The {from} backend failed ({reason}); training continued on {to} from epoch {epochs}.'),
    kernelInput: error('The LSTM rejected its input: {reason}'),
    noFinalModel: warning('Final model off: the model output is fold 1’s model, trained on {share}% of the labelled customers.'),
  },
  zh: {
    label: 'LSTM 模型',
    description: '在浏览器中训练 LSTM，预测客户的购买意向。',
    params: {
      units: { label: '单元数', help: '每个 LSTM 层的隐藏单元数。' },
      layers: { label: '层数', help: '堆叠的 LSTM 层数。' },
      dropout: { label: '丢弃率（Dropout）', help: '训练时随机丢弃的最后一层输出的比例。' },
      epochs: { label: '训练轮数' },
      batchSize: { label: '批大小' },
      learningRate: { label: '学习率', help: 'Adam 优化器的步长。' },
      patience: { label: '耐心轮数（patience）', help: '验证损失连续这么多轮没有下降就停止训练，并恢复最佳权重；0 = 训练完所有轮次。' },
      earlyStoppingShare: { label: '早停验证比例', help: '每一折的训练行中用于早停监控的比例（仅当 patience > 0 时）。' },
      classWeight: { label: '类别权重', help: 'balanced：在损失函数中以 n / (2 · 该类样本数) 为每个类别加权。' },
      validation: { label: '验证方式', help: 'kfold：分层 k 折交叉验证，每位客户都得到折外预测得分；holdout：留出法，只对留出的一部分客户打分。' },
      folds: { label: '折数' },
      holdoutShare: { label: '留出比例' },
      finalModel: { label: '用全部行训练最终模型', help: '验证结束后，用所有有标签的客户训练用于导出的模型。' },
      implementation: { label: '实现方式', help: 'fast：手写的 LSTM 计算内核；layers：tf.layers.lstm 参考实现。' },
    },
    groups: { Network: '网络结构', Training: '训练', Validation: '验证' },
    messages: {
      nonFinite: '序列中客户 {id} 在第 {step} 步、特征 {feature} 处的值为 {value}；所有值都必须是有限数。',
      noLabels: '没有客户带有标签（0 或 1）：请连接带标签的序列来训练，或连接已保存的模型来打分。',
      singleClass: '所有带标签的客户标签都是 {label}：模型需要同时有购买者和未购买者才能学习。',
      tooFewForFolds: '{folds} 折验证要求每个类别至少有 {folds} 位客户；目前标签为 1 的有 {positives} 位，标签为 0 的有 {negatives} 位。',
      tooFewForHoldout: '留出法要求每个类别至少有 2 位客户；目前标签为 1 的有 {positives} 位，标签为 0 的有 {negatives} 位。',
      badModel: '连接的模型不是本节点训练的 LSTM（类型 {kind}）。',
      modelMismatch: '连接的模型要求每步 {expected} 个特征（{expectedNames}），而序列有 {actual} 个。',
      unlabelled: '{count} 位客户没有标签：他们由最终模型打分，折号记为 −1。',
      backendFallback: '{from} 后端出错（{reason}）；已从第 {epochs} 轮起改在 {to} 上继续训练。',
      kernelInput: 'LSTM 拒绝了输入：{reason}',
      noFinalModel: '未训练最终模型：模型输出为第 1 折的模型，用 {share}% 的带标签客户训练。',
    },
  },
  async run({ sequences, model }, params, ctx) {
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
  },
  summary({ model }) {
    const auc = model.metadata.auc;
    const choice = model.metadata.backendChoice;
    const backend = typeof choice === 'object' && choice !== null && !Array.isArray(choice) && typeof choice.summary === 'string' ? choice.summary : typeof model.metadata.backend === 'string' ? model.metadata.backend : '';
    if (model.metadata.applied === true) return `applied saved model · ${typeof model.metadata.backend === 'string' ? model.metadata.backend : ''}`;
    return `${typeof auc === 'number' ? `AUC ${auc.toFixed(3)}` : 'AUC n/a'} · ${backend}`;
  },
});

type LstmParams = ParamValues<typeof lstmParams>;

function scalingOf(sequences: Sequences): SequenceScaling {
  const method = sequences.meta.scaling;
  return SCALING_METHODS.find((m) => m === method) ?? 'log-standard';
}

/** The rows of the sequences listed in `rows`, scaled with `scaler`. */
function scaledRows(sequences: Sequences, scaler: SequenceScaler, rows: readonly number[]): SequenceSet {
  const { n, steps, features } = sequences;
  const subset = subsetSequences({ x: sequences.x, n, steps, features, labels: sequences.labels }, rows);
  return { ...subset, x: applyScaler(scaler, subset.x, subset.n, steps, features) };
}

/** One training as the pool gets it, plus the scaler it was prepared with. */
interface PreparedFit {
  input: LstmFitInput;
  scaler: SequenceScaler;
}

async function train(sequences: Sequences, params: LstmParams, ctx: NodeContext, hostBackend: string): Promise<{ predictions: ColumnTable; model: ModelValue; history: ColumnTable }> {
  const { n, steps, features } = sequences;
  const labelled: number[] = [];
  const unlabelled: number[] = [];
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = sequences.labels[i] ?? Number.NaN;
    if (y === 0 || y === 1) {
      labelled.push(i);
      positives += y;
    } else unlabelled.push(i);
  }
  if (labelled.length === 0) ctx.fail('noLabels');
  const negatives = labelled.length - positives;
  if (positives === 0 || negatives === 0) ctx.fail('singleClass', { label: positives === 0 ? 0 : 1 });
  if (params.validation === 'kfold' && Math.min(positives, negatives) < params.folds) ctx.fail('tooFewForFolds', { folds: params.folds, positives, negatives }, 'folds');
  if (params.validation === 'holdout' && Math.min(positives, negatives) < 2) ctx.fail('tooFewForHoldout', { positives, negatives }, 'holdoutShare');
  if (unlabelled.length > 0) ctx.warn('unlabelled', { count: unlabelled.length });

  const method = scalingOf(sequences);
  const seed = ctx.random.uint32();
  const options: LstmOptions = {
    units: params.units,
    layers: params.layers,
    dropout: params.dropout,
    epochs: params.epochs,
    batchSize: params.batchSize,
    learningRate: params.learningRate,
    patience: params.patience,
    classWeight: params.classWeight,
    seed,
    implementation: params.implementation,
  };
  const choice: BackendChoice = ctx.host.chooseBackend
    ? await ctx.host.chooseBackend({ steps, features, units: params.units, layers: params.layers, batchSize: Math.min(params.batchSize, labelled.length) })
    : { backend: hostBackend, reason: 'only', probes: [] };
  ctx.checkCancelled();
  const pool = ctx.host.pool ?? inProcessPool;
  const labelOf = (row: number): number => sequences.labels[row] ?? 0;
  const scheme: ValidationScheme = params.validation === 'kfold' ? { kind: 'kfold', folds: params.folds } : { kind: 'holdout', share: params.holdoutShare };

  // The per-fold hook: the scaler sees only the fold's training rows; early stopping watches
  // a stratified slice of them, else the scored rows serve as the displayed curve only.
  const prepare = (plan: FoldPlan): PreparedFit => {
    let fitRows = plan.trainRows.map((j) => labelled[j] ?? 0);
    const testRows = plan.testRows.map((j) => labelled[j] ?? 0);
    let monitorRows: number[] | null = plan.fold >= 0 ? testRows : null;
    if (params.patience > 0) {
      const inner = stratifiedHoldout(Float32Array.from(fitRows, labelOf), params.earlyStoppingShare, deriveSeed(plan.seed, 'early-stopping'));
      monitorRows = fitRows.filter((_, j) => inner[j] === 1);
      fitRows = fitRows.filter((_, j) => inner[j] === 0);
    }
    const scaler = fitScaler(sequences.x, n, steps, features, method, fitRows);
    const monitor = monitorRows && monitorRows.length > 0 ? scaledRows(sequences, scaler, monitorRows) : null;
    const score = testRows.length > 0 ? scaledRows(sequences, scaler, testRows) : null;
    return { scaler, input: { train: scaledRows(sequences, scaler, fitRows), monitor, score, options: { ...options, seed: plan.seed }, backend: choice.backend } };
  };

  const fitAll = async (jobs: readonly { plan: FoldPlan; prepared: PreparedFit }[]): Promise<{ model: TrainedLstm; scores: Float32Array | null; scaler: SequenceScaler }[]> => {
    const fractions = new Float64Array(jobs.length);
    let lastStep = -1;
    const outputs = await pool.map(lstmFitTask, jobs.map((j) => j.prepared.input), {
      signal: ctx.signal,
      onReport: (index, report) => {
        const fold = jobs[index]?.plan.fold ?? -1;
        switch (report.type) {
          case 'epoch': {
            const r = report.record;
            ctx.emit({ type: 'epoch', data: { fold, epoch: r.epoch, loss: r.loss, valLoss: r.valLoss, accuracy: r.accuracy, auc: r.auc, valAuc: r.valAuc } });
            return;
          }
          case 'progress': {
            fractions[index] = report.fraction;
            // One report per 2% of the whole run: the page redraws a bar, the CLI prints a line each.
            const overall = fractions.reduce((a, b) => a + b, 0) / jobs.length;
            const step = Math.floor(overall * 50);
            if (step === lastStep) return;
            lastStep = step;
            const running = jobs.filter((_, j) => (fractions[j] ?? 0) > 0 && (fractions[j] ?? 0) < 1).map((j) => j.plan.label);
            ctx.progress(overall, running.join(', ') || (jobs[index]?.plan.label ?? ''));
            return;
          }
          case 'fallback':
            ctx.warn('backendFallback', { from: report.from, to: report.to, reason: report.reason, epochs: report.epochsCompleted + 1 });
            return;
          default:
            assertNever(report);
        }
      },
    });
    return outputs.map((out, j) => {
      if (!out.ok) return ctx.fail('kernelInput', { reason: out.message });
      return { model: out.model, scores: out.scores, scaler: jobs[j]?.prepared.scaler ?? fitScaler(sequences.x, n, steps, features, method, labelled) };
    });
  };

  const cv = await crossValidate({
    labels: Float32Array.from(labelled, labelOf),
    scheme,
    seed,
    finalModel: params.finalModel,
    prepare,
    fitAll,
    testScores: (fitted) => fitted.scores ?? new Float32Array(0),
  });
  // fold[i] for every row of the sequences: 0..k−1 scored out of fold, −1 not scored by a fold model.
  const fold = new Int32Array(n).fill(-1);
  const score = new Float32Array(n).fill(Number.NaN);
  labelled.forEach((row, j) => {
    fold[row] = cv.assignment[j] ?? -1;
    score[row] = cv.scores[j] ?? Number.NaN;
  });
  const first = cv.folds[0];
  if (!first) return ctx.fail('noLabels');
  const final = cv.final?.fitted ?? first.fitted;
  if (!cv.final) ctx.warn('noFinalModel', { share: Math.round((100 * first.plan.trainRows.length) / labelled.length) });

  // Rows no fold scored (unlabelled customers, hold-out training rows) get the final model's score.
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isNaN(score[i] ?? Number.NaN)) rest.push(i);
  if (rest.length > 0) {
    const sub = scaledRows(sequences, final.scaler, rest);
    const probs = await predictLstm(final.model, sub.x, sub.n, steps, features);
    rest.forEach((row, j) => (score[row] = probs[j] ?? Number.NaN));
  }

  const trainings = [...cv.folds, ...(cv.final ? [cv.final] : [])];
  const historyRows = trainings.flatMap(({ plan, fitted }) => fitted.model.history.map((r) => ({ ...r, fold: plan.fold })));
  const scoredRows = labelled.filter((r) => (fold[r] ?? -1) >= 0);
  const auc = rocAuc(Float64Array.from(scoredRows, (r) => sequences.labels[r] ?? 0), Float64Array.from(scoredRows, (r) => score[r] ?? 0));
  const predictions = predictionsTable(sequences, score, fold);
  const history = historyTable(historyRows);
  const metadata: JsonObject = {
    backend: final.model.backend,
    hostBackend,
    backendChoice: choiceJson(choice),
    lanes: Math.min(pool.lanes, trainings.length),
    engine: final.model.engine,
    seed,
    units: params.units,
    layers: params.layers,
    dropout: params.dropout,
    epochs: final.model.epochsRun,
    bestEpoch: final.model.bestEpoch,
    learningRate: params.learningRate,
    batchSize: params.batchSize,
    classWeight: params.classWeight,
    implementation: params.implementation,
    validation: params.validation === 'kfold' ? `stratified ${params.folds}-fold` : `stratified hold-out ${params.holdoutShare}`,
    auc: Number.isFinite(auc) ? auc : null,
    scoredRows: scoredRows.length,
    trainedOn: cv.final ? labelled.length : first.plan.trainRows.length,
    steps,
    features,
    featureNames: sequences.featureNames,
    scaling: method,
    history: final.model.history.map((r) => epochJson(r)),
    foldEpochs: trainings.map((t) => t.fitted.model.epochsRun),
  };
  const artifacts: LstmArtifacts = { format: 'insight-lstm', weights: final.model.weights, scaler: final.scaler, steps, dropout: params.dropout, featureNames: sequences.featureNames };
  ctx.progress(1);
  return { predictions, model: { kind: 'lstm', metadata, artifacts }, history };
}

/** The backend choice as model metadata: what ran, why, and each probe's figure. */
function choiceJson(choice: BackendChoice): JsonObject {
  return {
    backend: choice.backend,
    reason: choice.reason,
    summary: describeChoice(choice),
    probes: choice.probes.map((p) => ({ backend: p.backend, engine: p.engine, samplesPerSecond: p.samplesPerSecond, batches: p.batches, ms: Math.round(p.ms), adapter: p.adapter, software: p.software, note: p.note })),
  };
}

async function applyModel(sequences: Sequences, model: ModelValue, ctx: NodeContext): Promise<{ predictions: ColumnTable; model: ModelValue; history: ColumnTable }> {
  const a = lstmArtifacts(model);
  if (!a) return ctx.fail('badModel', { kind: model.kind }, 'model');
  const { n, steps, features } = sequences;
  if (a.weights.features !== features) ctx.fail('modelMismatch', { expected: a.weights.features, expectedNames: a.featureNames.join(', '), actual: features });
  const scaled = applyScaler(a.scaler, sequences.x, n, steps, features);
  const score = await predictLstm(a.weights, scaled, n, steps, features);
  const predictions = predictionsTable(sequences, score, new Int32Array(n).fill(-1));
  ctx.progress(1);
  return { predictions, model: { ...model, metadata: { ...model.metadata, applied: true, backend: tf.getBackend() } }, history: historyTable([]) };
}

/** The predictions table: id, score, label (null when unknown), fold (−1 = not scored out of fold). */
function predictionsTable(sequences: Sequences, score: Float32Array, fold: Int32Array): ColumnTable {
  return aq.table({
    id: sequences.ids.slice(),
    score: Array.from(score),
    label: Array.from(sequences.labels, (y) => (y === 0 || y === 1 ? y : null)),
    fold: Array.from(fold),
  });
}

function historyTable(rows: (EpochRecord & { fold: number })[]): ColumnTable {
  return aq.table({
    fold: rows.map((r) => r.fold),
    epoch: rows.map((r) => r.epoch),
    loss: rows.map((r) => r.loss),
    val_loss: rows.map((r) => finiteOrNull(r.valLoss)),
    accuracy: rows.map((r) => r.accuracy),
    auc: rows.map((r) => finiteOrNull(r.auc)),
    val_auc: rows.map((r) => finiteOrNull(r.valAuc)),
    seconds: rows.map((r) => r.seconds),
  });
}

function epochJson(r: EpochRecord): JsonObject {
  return { epoch: r.epoch, loss: r.loss, valLoss: finiteOrNull(r.valLoss), accuracy: r.accuracy, auc: finiteOrNull(r.auc), valAuc: finiteOrNull(r.valAuc) };
}

function finiteOrNull(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}
