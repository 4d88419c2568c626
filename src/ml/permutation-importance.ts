/**
 * Permutation importance (Breiman 2001; Fisher, Rudin & Dominici 2019): how much a model's
 * ROC AUC drops when one group of inputs is shuffled across rows, breaking its link with the
 * label while keeping its distribution. Each group is shuffled `repeats` times with seeded
 * permutations; the drop is reported as mean and sample standard deviation over the repeats.
 * The model is anything that scores a row-major matrix: a tabular model or a sequence model
 * whose "columns" are (step, feature) cells, grouped by feature or by step.
 */
import { rocAuc } from './metrics.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

/** One group of columns shuffled together (e.g. one feature at every step). */
export interface PermutationGroup {
  /** Name shown in the importance table. */
  name: string;
  /** Column indices into a row of `width` values. */
  columns: readonly number[];
}

/** Options of a permutation-importance pass. */
export interface PermutationOptions {
  /** Shuffles per group (≥ 1). */
  repeats: number;
  /** Seeded randomness for the permutations. */
  random: Rng;
  /** Cancels between shuffles. */
  signal?: AbortSignal;
  /** Called with the share of shuffles done. */
  onProgress?: (fraction: number) => void;
}

/** One group's importance. */
export interface GroupImportance {
  /** Group name. */
  name: string;
  /** Mean drop in AUC over the repeats (AUC before − AUC shuffled). */
  drop: number;
  /** Sample standard deviation of the drop over the repeats (0 with one repeat). */
  sd: number;
}

/** Importance of every group and the unshuffled AUC it is measured from. */
export interface PermutationImportance {
  /** AUC with nothing shuffled. */
  baseAuc: number;
  /** One entry per group, in the order given. */
  groups: GroupImportance[];
}

/** The mean drop over repeats and its sample standard deviation (0 with one repeat). */
export function dropSummary(drops: readonly number[]): { drop: number; sd: number } {
  const mean = drops.reduce((s, d) => s + d, 0) / drops.length;
  const variance = drops.length > 1 ? drops.reduce((s, d) => s + (d - mean) ** 2, 0) / (drops.length - 1) : 0;
  return { drop: mean, sd: Math.sqrt(variance) };
}

/**
 * Permutation importance of each group for a model `score` of n rows × width columns
 * (row-major `x`), against binary `labels`. `score` may be async (a tfjs model).
 */
export async function permutationImportance(
  x: Float32Array,
  n: number,
  width: number,
  labels: ArrayLike<number>,
  groups: readonly PermutationGroup[],
  score: (x: Float32Array, n: number) => Promise<ArrayLike<number>> | ArrayLike<number>,
  options: PermutationOptions,
): Promise<PermutationImportance> {
  if (x.length !== n * width) throw new RangeError(`permutationImportance: x has ${x.length} values, expected n × width = ${n * width}.`);
  const repeats = Math.max(1, Math.floor(options.repeats));
  const baseAuc = rocAuc(labels, await score(x, n));
  const shuffled = new Float32Array(x.length);
  const order = Array.from({ length: n }, (_, i) => i);
  const out: GroupImportance[] = [];
  const total = groups.length * repeats;
  let done = 0;
  for (const group of groups) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      if (options.signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
      shuffled.set(x);
      options.random.shuffle(order);
      for (let i = 0; i < n; i++) {
        const from = (order[i] ?? i) * width;
        for (const c of group.columns) shuffled[i * width + c] = x[from + c] ?? 0;
      }
      drops.push(baseAuc - rocAuc(labels, await score(shuffled, n)));
      options.onProgress?.(++done / total);
    }
    out.push({ name: group.name, ...dropSummary(drops) });
  }
  return { baseAuc, groups: out };
}

/** Groups of a sequence model's (step, feature) cells: one per feature (every step) and one per step (every feature). */
export function sequenceGroups(steps: number, features: number, featureNames: readonly string[], stepName: (t: number) => string): { byFeature: PermutationGroup[]; byStep: PermutationGroup[] } {
  const byFeature = Array.from({ length: features }, (_, d) => ({ name: featureNames[d] ?? `feature ${d + 1}`, columns: Array.from({ length: steps }, (_, t) => t * features + d) }));
  const byStep = Array.from({ length: steps }, (_, t) => ({ name: stepName(t), columns: Array.from({ length: features }, (_, d) => t * features + d) }));
  return { byFeature, byStep };
}

/** One shuffle of a fold: row rows[i] takes group `group`'s inputs from row from[i] (a row of the same fold). */
export interface FoldShuffle {
  /** Index into the groups. */
  group: number;
  /** For each of the fold's rows, the row whose values of the group it takes. */
  from: readonly number[];
}

/** One fold's scoring job: its rows, and the shuffles to score after the rows as they are. */
export interface FoldJob {
  /** Fold index (the model that held these rows out). */
  fold: number;
  /** The fold's rows. */
  rows: readonly number[];
  /** Shuffles, group by group, `repeats` each. */
  shuffles: readonly FoldShuffle[];
}

/**
 * Scores every job's rows with its fold's model: per job, the unshuffled scores first, then one
 * score vector per shuffle, each in the order of job.rows. Jobs are independent (a pool may run
 * them at once).
 */
export type FoldScorer = (jobs: readonly FoldJob[]) => Promise<(readonly ArrayLike<number>[])[]>;

/** Options of outOfFoldImportance. */
export interface OutOfFoldOptions {
  /** Shuffles per group (≥ 1). */
  repeats: number;
  /** Seed of the shuffles; fold k's come from their own stream, so folds can be scored apart. */
  seed: number;
}

/**
 * Permutation importance on out-of-fold predictions: each row is scored by the model of the
 * fold that held it out, and a group is shuffled among the rows of each fold separately, so a
 * model never scores a row it was trained on. The drop is the out-of-fold AUC before minus
 * after, as mean and sample sd over the repeats. `fold[i]` < 0 leaves row i out.
 */
export async function outOfFoldImportance(labels: ArrayLike<number>, fold: ArrayLike<number>, groups: readonly string[], score: FoldScorer, options: OutOfFoldOptions): Promise<PermutationImportance & { rows: number }> {
  const byFold = new Map<number, number[]>();
  for (let i = 0; i < fold.length; i++) {
    const k = fold[i] ?? -1;
    if (k < 0) continue;
    const rows = byFold.get(k) ?? [];
    rows.push(i);
    byFold.set(k, rows);
  }
  const repeats = Math.max(1, Math.floor(options.repeats));
  const jobs: FoldJob[] = [...byFold.keys()].sort((a, b) => a - b).map((k) => {
    const own = byFold.get(k) ?? [];
    const random = createRng(deriveSeed(options.seed, `fold-${k}`));
    const shuffles: FoldShuffle[] = [];
    for (let g = 0; g < groups.length; g++) {
      for (let r = 0; r < repeats; r++) {
        const from = own.slice();
        random.shuffle(from);
        shuffles.push({ group: g, from });
      }
    }
    return { fold: k, rows: own, shuffles };
  });
  const scored = await score(jobs);
  const rows = jobs.flatMap((j) => j.rows);
  const y = rows.map((i) => labels[i] ?? 0);
  // The out-of-fold vector of score set s (0: unshuffled, 1 + g·repeats + r: group g's r-th shuffle).
  const assemble = (s: number): Float64Array => {
    const out = new Float64Array(rows.length);
    let at = 0;
    jobs.forEach((job, j) => {
      const v = scored[j]?.[s];
      if (!v || v.length !== job.rows.length) throw new Error(`fold ${job.fold}: score set ${s} has ${v?.length ?? 0} scores for ${job.rows.length} rows.`);
      out.set(Array.from(v), at);
      at += job.rows.length;
    });
    return out;
  };
  const baseAuc = rocAuc(y, assemble(0));
  const out: GroupImportance[] = groups.map((name, g) => {
    const drops = Array.from({ length: repeats }, (_, r) => baseAuc - rocAuc(y, assemble(1 + g * repeats + r)));
    return { name, ...dropSummary(drops) };
  });
  return { baseAuc, groups: out, rows: rows.length };
}

/** The fold that held out each of `rows` (their ids from `idOf`), by a cross-validation's ids and folds; −1 for a row it did not score. */
export function heldOutFolds(folds: { ids: readonly string[]; fold: ArrayLike<number> } | undefined, rows: readonly number[], idOf: (row: number) => string): number[] {
  const heldOutBy = new Map<string, number>();
  folds?.ids.forEach((id, j) => heldOutBy.set(id, folds.fold[j] ?? -1));
  return rows.map((r) => heldOutBy.get(idOf(r)) ?? -1);
}
