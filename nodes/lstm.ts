/**
 * LSTM: trains the purchase-intent model on sequences and scores every customer, under
 * stratified k-fold or a stratified hold-out share (src/ml/lstm/fold-training.ts: the scaler
 * the sequence node names is fitted inside each fold, early stopping watches a slice of the
 * fold's training rows). The final model on every labelled row is the model output, exported
 * as TensorFlow.js files (src/ml/lstm/model-files.ts). With a `model` input connected the node
 * trains nothing: it applies that model (and its stored scaler) to the sequences.
 */
import { DEFAULT_LSTM_OPTIONS as DEFAULT_TRAINING } from '../src/ml/lstm/defaults.ts';
import { boolean, defineNode, error, integer, number, oneOf, optional, warning, type ExportFile, type ModelValue, type ParamValues } from './define.ts';

/** The node's work and its kernels (TensorFlow.js among them), loaded when an LSTM first runs or exports: a pipeline without one never loads them. */
const work = (): Promise<typeof import('./work/lstm-run.ts')> => import('./work/lstm-run.ts');

/** The model as the files a person downloads: model.json and weights.bin (the names model.json's manifest uses). */
async function lstmModelFiles(model: ModelValue): Promise<ExportFile[]> {
  const files = await (await work()).exportLstmModel(model);
  return [
    { filename: 'model.json', mime: 'application/json', data: files.modelJson },
    { filename: 'weights.bin', mime: 'application/octet-stream', data: files.weightsBin },
  ];
}

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
  tensors: true,
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
  async run(inputs, params, ctx) {
    return (await work()).runLstm(inputs, params, ctx);
  },
  summary({ model }) {
    const auc = model.metadata.auc;
    const choice = model.metadata.backendChoice;
    const backend = typeof choice === 'object' && choice !== null && !Array.isArray(choice) && typeof choice.summary === 'string' ? choice.summary : typeof model.metadata.backend === 'string' ? model.metadata.backend : '';
    if (model.metadata.applied === true) return `applied saved model · ${typeof model.metadata.backend === 'string' ? model.metadata.backend : ''}`;
    return `${typeof auc === 'number' ? `AUC ${auc.toFixed(3)}` : 'AUC n/a'} · ${backend}`;
  },
});

/** The lstm node's param values. */
export type LstmParams = ParamValues<typeof lstmParams>;
