/**
 * k-means work as pool tasks (src/engine/parallel.ts): one restart of a fixed-k fit, or one k of
 * the silhouette scan (its restarts and its silhouette). Each computes the same bytes on any lane
 * as kmeans / silhouette do on the calling thread, so a segmentation never depends on how many
 * lanes ran it.
 */
import type { TaskSpec } from '../engine/parallel.ts';
import { silhouette } from './cluster-metrics.ts';
import { kmeans, kmeansRestart, type KMeansModel, type KMeansRestart } from './kmeans.ts';

/** The matrix clustered (row-major n × d, double precision). */
export interface TaskMatrix {
  /** n · d values. */
  values: Float64Array;
  /** Rows. */
  n: number;
  /** Columns. */
  d: number;
}

/** One restart of kmeans(x, { k, seed, restarts, maxIter }). */
export interface KMeansRestartInput {
  /** The data. */
  x: TaskMatrix;
  /** Clusters wanted. */
  k: number;
  /** The fit's seed (each restart derives its own from it). */
  seed: number;
  /** Restarts of the whole fit. */
  restarts: number;
  /** Lloyd iteration cap. */
  maxIter: number;
  /** Which restart, 0-based. */
  restart: number;
}

/** One k of a silhouette scan: the k-means fit and its silhouette on the (seeded) sample. */
export interface ScanKInput {
  /** The data. */
  x: TaskMatrix;
  /** k. */
  k: number;
  /** This k's fit seed. */
  seed: number;
  /** k-means++ restarts. */
  restarts: number;
  /** Lloyd iteration cap. */
  maxIter: number;
  /** Rows above which the silhouette uses a sample. */
  silhouetteSample: number;
  /** Seed of the silhouette sample (the same for every k). */
  silhouetteSeed: number;
}

/** The fit of one k and its silhouette. */
export interface ScanKOutput {
  /** The k-means model. */
  model: KMeansModel;
  /** Silhouette score (NaN when undefined). */
  score: number;
  /** Rows the silhouette used. */
  sampleSize: number;
  /** Whether those rows were a sample. */
  sampled: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isRestart(v: unknown): v is KMeansRestart {
  return isObject(v) && v.centroids instanceof Float64Array && v.labels instanceof Int32Array && typeof v.inertia === 'number' && typeof v.iterations === 'number' && typeof v.converged === 'boolean';
}

/** Whether a value is a k-means model. */
export function isKMeansModel(v: unknown): v is KMeansModel {
  if (!isRestart(v) || !isObject(v)) return false;
  return typeof v.k === 'number' && typeof v.d === 'number' && typeof v.requestedK === 'number' && typeof v.reducedK === 'boolean' && v.sizes instanceof Int32Array && Array.isArray(v.restartInertias) && v.restartInertias.every((r) => typeof r === 'number');
}

const noReport = (v: unknown): v is never => false;

/** The pool task running one k-means restart. */
export const kmeansRestartTask: TaskSpec<KMeansRestartInput, KMeansRestart, never> = {
  name: 'kmeans.restart',
  run: async (input) => kmeansRestart(input.x, { k: input.k, seed: input.seed, restarts: input.restarts, maxIter: input.maxIter }, input.restart),
  isOutput: isRestart,
  isReport: noReport,
};

/** The pool task fitting one k of the scan and measuring its silhouette; reports 'fitted' between the two. */
export const scanKTask: TaskSpec<ScanKInput, ScanKOutput, 'fitted'> = {
  name: 'segment.scanK',
  async run(input, report) {
    const model = kmeans(input.x, { k: input.k, seed: input.seed, restarts: input.restarts, maxIter: input.maxIter });
    report('fitted');
    const sil = silhouette(input.x, model.labels, { sampleSize: input.silhouetteSample, seed: input.silhouetteSeed });
    return { model, score: sil.score, sampleSize: sil.sampleSize, sampled: sil.sampled };
  },
  isOutput: (v): v is ScanKOutput => isObject(v) && isKMeansModel(v.model) && typeof v.score === 'number' && typeof v.sampleSize === 'number' && typeof v.sampled === 'boolean',
  isReport: (v): v is 'fitted' => v === 'fitted',
  // Larger k costs more Lloyd work (the silhouette's cost is the same for every k).
  cost: (input) => input.k,
};
