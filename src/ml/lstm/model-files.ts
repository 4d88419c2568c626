/**
 * An LSTM model port value as TensorFlow.js files (model.json + weights.bin, what
 * tf.loadLayersModel reads) and back. The scaler and feature names travel in model.json's
 * userDefinedMetadata.insight, so an imported model applies to new raw sequences exactly as
 * the model that was exported.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelValue } from '../../engine/ports.ts';
import type { SequenceScaler } from '../../data/sequences.ts';
import { isScaler, isStringArray, lstmArtifacts, type LstmArtifacts } from './artifacts.ts';
import { fromLayersModelAsync, toLayersModel } from './layers-model.ts';
import { DEFAULT_LSTM_OPTIONS } from './defaults.ts';
import type { TrainedLstm } from './types.ts';

export { DEFAULT_LSTM_OPTIONS };


/** The TrainedLstm shape that toLayersModel needs, from a model port value; null when it is not an LSTM. */
export function trainedFromModel(model: ModelValue): TrainedLstm | null {
  const a = lstmArtifacts(model);
  if (!a) return null;
  const first = a.weights.layers[0];
  return {
    weights: a.weights,
    options: { ...DEFAULT_LSTM_OPTIONS, units: first?.units ?? 1, layers: a.weights.layers.length, dropout: a.dropout },
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

/** The model as TensorFlow.js files that tf.loadLayersModel reads (model.json + weights.bin). */
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

/** Reads model.json + weights.bin written by exportLstmModel (or any tf.layers LSTM) back into a model port value. */
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
