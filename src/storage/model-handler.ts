/**
 * A TensorFlow.js IOHandler over the studio's IndexedDB `models` store, so a trained model
 * is saved with `model.save(handler)` and comes back with `tf.loadLayersModel(handler)` —
 * no retraining after a reload. Only types come from tfjs: the page bundle stays tfjs-free.
 */
import type { io } from '@tensorflow/tfjs';
import type { ModelData, ProjectStore } from './project-store.ts';

/** Joins weight buffers (tfjs 4 may hand over several) into one ArrayBuffer. */
export function joinWeightData(data: io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data.slice(0);
  const total = data.reduce((sum, b) => sum + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Converts artifacts to the stored form. */
export function toModelData(artifacts: io.ModelArtifacts): ModelData {
  const { modelTopology, weightSpecs, weightData, getWeightStream: _stream, ...extra } = artifacts;
  return {
    modelTopology: modelTopology ?? null,
    weightSpecs: weightSpecs ?? [],
    weightData: joinWeightData(weightData),
    // The remaining fields (format, trainingConfig, userDefinedMetadata...) are plain JSON.
    extra: { ...extra },
  };
}

function isWeightSpec(value: unknown): value is io.WeightsManifestEntry {
  return typeof value === 'object' && value !== null && 'name' in value && 'shape' in value && 'dtype' in value;
}

/** Converts the stored form back to artifacts. */
export function fromModelData(data: ModelData): io.ModelArtifacts {
  const artifacts: io.ModelArtifacts = { ...data.extra, weightSpecs: data.weightSpecs.filter(isWeightSpec), weightData: data.weightData };
  if (data.modelTopology !== null) artifacts.modelTopology = data.modelTopology;
  return artifacts;
}

/** An IOHandler that saves to and loads from (project, key) in the studio database. */
export function idbModelHandler(store: ProjectStore, projectId: string, key: string): io.IOHandler {
  return {
    async save(artifacts) {
      const data = toModelData(artifacts);
      await store.putModel(projectId, key, data);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: data.modelTopology instanceof ArrayBuffer ? 'GraphDef' : 'JSON',
          modelTopologyBytes: data.modelTopology instanceof ArrayBuffer ? data.modelTopology.byteLength : jsonBytes(data.modelTopology),
          weightSpecsBytes: jsonBytes(data.weightSpecs),
          weightDataBytes: data.weightData.byteLength,
        },
      };
    },
    async load() {
      const record = await store.getModel(projectId, key);
      if (!record) throw new Error(`No stored model "${key}" in this project; train it first.`);
      return fromModelData(record);
    },
  };
}
