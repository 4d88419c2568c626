/**
 * The logistic baseline an evaluation compares a model with: a feature matrix over the
 * labelled customers (static features from a table, the static features appended to the
 * sequences, or log1p totals of each sequence feature — what a model without the order sees)
 * and out-of-fold L2 logistic scores that reuse the evaluated model's fold assignment.
 */
import type { ColumnTable } from 'arquero';
import { hasNumberCells, idKey, numericCell } from '../data/cells.ts';
import { sequenceTotals } from '../data/sequences.ts';
import { fitLogistic, predictLogistic } from './logistic.ts';
import { KernelInputError } from './matrix.ts';

/** Which baseline to build: auto = static features (table, else those in the sequences), else totals. */
export type BaselineChoice = 'auto' | 'static' | 'totals' | 'none';

/** Sequences as the baseline reads them (structurally the sequences port value). */
export interface BaselineSequences {
  /** Values [n, steps, features], row-major. */
  x: ArrayLike<number>;
  /** Sequences. */
  n: number;
  /** Steps per sequence. */
  steps: number;
  /** Features per step. */
  features: number;
  /** Id per sequence. */
  ids: readonly string[];
  /** Name per feature. */
  featureNames: readonly string[];
  /** `staticFeatures` (names appended to every step) and `activityFeatures` (count of the others) are read. */
  meta: Readonly<Record<string, unknown>>;
}

/** A baseline feature matrix over the labelled rows. */
export interface BaselineSource {
  /** labelled.length × d values, row-major. */
  values: Float64Array;
  /** Number of features. */
  d: number;
  /** Feature names, in order. */
  names: string[];
  /** Where the features came from, in words. */
  kind: string;
}

/** A matrix (with the count of cells filled by the column mean), or why there is none (reason null: none asked or possible, nothing to say). */
export type BaselineMatrix = { source: BaselineSource; filled: number } | { source: null; reason: string | null };

/** Options of baselineMatrix. */
export interface BaselineMatrixOptions {
  /** Which baseline. */
  baseline: BaselineChoice;
  /** Id column of the features table. */
  featuresIdColumn: string;
  /** Columns of the features table (empty: every numeric column but the id). */
  baselineColumns: readonly string[];
}

/** The baseline's feature matrix over the labelled rows (indices into `ids`), in the order of `labelled`. */
export function baselineMatrix(ids: readonly string[], labelled: readonly number[], sequences: BaselineSequences | undefined, features: ColumnTable | undefined, o: BaselineMatrixOptions): BaselineMatrix {
  const n = labelled.length;
  const wantStatic = o.baseline === 'auto' || o.baseline === 'static';
  if (wantStatic && features) {
    const names = o.baselineColumns.length > 0 ? [...o.baselineColumns] : features.columnNames().filter((c) => c !== o.featuresIdColumn && hasNumberCells(features, c));
    if (names.length === 0) return { source: null, reason: 'the features table has no numeric column besides the id.' };
    const rowOf = new Map<string, number>();
    Array.from(features.array(o.featuresIdColumn), idKey).forEach((k, r) => {
      if (k !== null && !rowOf.has(k)) rowOf.set(k, r);
    });
    const values = new Float64Array(n * names.length);
    let filled = 0;
    names.forEach((name, c) => {
      const cells = features.array(name);
      const raw = labelled.map((r) => {
        const at = rowOf.get(ids[r] ?? '');
        return at === undefined ? Number.NaN : numericCell(cells[at]);
      });
      const good = raw.filter((v) => Number.isFinite(v));
      const mean = good.length > 0 ? good.reduce((a, b) => a + b, 0) / good.length : 0;
      raw.forEach((v, k) => {
        if (!Number.isFinite(v)) filled++;
        values[k * names.length + c] = Number.isFinite(v) ? v : mean;
      });
    });
    return { source: { values, d: names.length, names, kind: 'static features table' }, filled };
  }
  if (!sequences) {
    if (o.baseline !== 'auto') return { source: null, reason: `baseline "${o.baseline}" needs ${o.baseline === 'static' ? 'a features table or sequences with static features' : 'the sequences'} connected.` };
    return { source: null, reason: null };
  }
  const index = new Map<string, number>();
  sequences.ids.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  const missing = labelled.filter((r) => !index.has(ids[r] ?? ''));
  if (missing.length > 0) return { source: null, reason: `${missing.length} evaluated customers (e.g. ${ids[missing[0] ?? 0] ?? ''}) are not in the connected sequences.` };
  const { steps, features: D } = sequences;
  const staticMeta = sequences.meta.staticFeatures;
  const staticNames = Array.isArray(staticMeta) ? staticMeta.filter((v): v is string => typeof v === 'string') : [];
  const staticIdx = staticNames.map((name) => sequences.featureNames.indexOf(name)).filter((j) => j >= 0);
  if (wantStatic && staticIdx.length > 0) {
    // Static features repeat on every step; the last step holds them.
    const values = new Float64Array(n * staticIdx.length);
    labelled.forEach((r, k) => {
      const i = index.get(ids[r] ?? '') ?? 0;
      staticIdx.forEach((j, c) => (values[k * staticIdx.length + c] = sequences.x[(i * steps + steps - 1) * D + j] ?? 0));
    });
    return { source: { values, d: staticIdx.length, names: staticIdx.map((j) => sequences.featureNames[j] ?? String(j)), kind: 'static features of the sequences' }, filled: 0 };
  }
  if (o.baseline === 'static') return { source: null, reason: 'the sequences carry no static features and no features table is connected.' };
  // Totals of each activity feature over the window: what a model without the order sees.
  const activityMeta = sequences.meta.activityFeatures;
  const activity = typeof activityMeta === 'number' ? activityMeta : D - staticIdx.length;
  const totals = sequenceTotals(sequences.x, sequences.n, steps, D);
  const values = new Float64Array(n * activity);
  labelled.forEach((r, k) => {
    const i = index.get(ids[r] ?? '') ?? 0;
    for (let j = 0; j < activity; j++) values[k * activity + j] = Math.sign(totals[i * D + j] ?? 0) * Math.log1p(Math.abs(totals[i * D + j] ?? 0));
  });
  return { source: { values, d: activity, names: sequences.featureNames.slice(0, activity).map((f) => `log1p(total ${f})`), kind: 'sequence totals' }, filled: 0 };
}

/**
 * Out-of-fold logistic scores for the evaluated rows: for each fold k, fit on every labelled
 * row whose fold ≠ k and score the evaluated rows of fold k. `source` rows follow `labelled`;
 * `labelOf` and `foldOf` take a row index. A fit the logistic kernel refuses gives its reason.
 */
export function outOfFoldScores(
  source: BaselineSource,
  rows: readonly number[],
  labelled: readonly number[],
  labelOf: (row: number) => number,
  foldOf: (row: number) => number,
): { scores: Float64Array } | { failed: string } {
  const { values, d } = source;
  const rowPos = new Map<number, number>();
  labelled.forEach((r, k) => rowPos.set(r, k));
  const scores = new Float64Array(rows.length);
  const folds = [...new Set(rows.map(foldOf))];
  try {
    for (const f of folds) {
      const train = labelled.filter((r) => foldOf(r) !== f);
      const test = rows.map((r, j) => ({ r, j })).filter(({ r }) => foldOf(r) === f);
      const take = (list: readonly number[]): Float64Array => {
        const out = new Float64Array(list.length * d);
        list.forEach((r, k) => {
          const p = rowPos.get(r) ?? 0;
          for (let c = 0; c < d; c++) out[k * d + c] = values[p * d + c] ?? 0;
        });
        return out;
      };
      const model = fitLogistic({ values: take(train), n: train.length, d }, Float64Array.from(train, labelOf));
      const p = predictLogistic(model, { values: take(test.map((t) => t.r)), n: test.length, d });
      test.forEach(({ j }, k) => (scores[j] = p[k] ?? 0));
    }
  } catch (err) {
    if (err instanceof KernelInputError) return { failed: err.message };
    throw err;
  }
  return { scores };
}
