/**
 * The sequence-building kernel: turns time-stamped activity rows (transactions, events) into
 * per-entity sequences [n, T, D] of the T periods that end at a cutoff, derives horizon labels,
 * appends static per-entity features to every step, and fits/applies the feature scaler.
 * Plain arrays in, typed arrays out; knows nothing of tables or nodes.
 *
 * Periods end at the cutoff: step T−1 is [cutoff − 1 period, cutoff), step 0 the oldest.
 * Days and weeks are fixed lengths of UTC time; months are calendar months counted back from
 * the cutoff's day of the month (clamped to the month's last day, e.g. 31 Mar − 1 month =
 * 29 Feb in a leap year).
 */
import { assertNever } from '../engine/errors.ts';

/** Length of one period kind. */
export type Period = 'day' | 'week' | 'month';

/** How the rows of one period are summarised into one number. */
export type Aggregation = 'count' | 'sum' | 'mean';

/** Every period kind, in display order. */
export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

/** Every aggregation, in display order. */
export const AGGREGATIONS: readonly Aggregation[] = ['count', 'sum', 'mean'];

const DAY_MS = 86_400_000;

/** The time grid of a sequence: T consecutive periods ending at the cutoff. */
export interface PeriodGrid {
  /** Start of each period, epoch ms (inclusive). */
  starts: Float64Array;
  /** End of each period, epoch ms (exclusive); the last equals the cutoff. */
  ends: Float64Array;
  /** Start date of each period, `YYYY-MM-DD` (UTC). */
  labels: string[];
}

/** Adds (or with a negative count subtracts) calendar months in UTC, clamping the day. */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(targetYear, targetMonth, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** The T periods of the given kind that end at `cutoffMs`. */
export function periodGrid(cutoffMs: number, period: Period, steps: number): PeriodGrid {
  if (!Number.isFinite(cutoffMs)) throw new RangeError(`periodGrid: cutoff must be a finite epoch time, got ${cutoffMs}.`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`periodGrid: steps must be a whole number ≥ 1, got ${steps}.`);
  const starts = new Float64Array(steps);
  const ends = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const back = steps - k;
    switch (period) {
      case 'day':
        starts[k] = cutoffMs - back * DAY_MS;
        ends[k] = cutoffMs - (back - 1) * DAY_MS;
        break;
      case 'week':
        starts[k] = cutoffMs - back * 7 * DAY_MS;
        ends[k] = cutoffMs - (back - 1) * 7 * DAY_MS;
        break;
      case 'month':
        starts[k] = addMonthsUtc(cutoffMs, -back);
        ends[k] = addMonthsUtc(cutoffMs, -(back - 1));
        break;
      default:
        return assertNever(period);
    }
  }
  const labels = Array.from(starts, (s) => new Date(s).toISOString().slice(0, 10));
  return { starts, ends, labels };
}

/** The step of the grid that holds time t, or −1 when t is outside the grid. */
export function stepOf(grid: PeriodGrid, t: number): number {
  const n = grid.starts.length;
  if (!(t >= (grid.starts[0] ?? Infinity)) || !(t < (grid.ends[n - 1] ?? -Infinity))) return -1;
  // Binary search: periods are contiguous and increasing (months differ in length).
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((grid.starts[mid] ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** One feature computed per period from the rows of an activity source. */
export interface ActivityFeature {
  /** Feature name, e.g. `events_cart_count`. */
  name: string;
  /** The feature in words for reasons and charts ("cart events", "total quantity"), en and zh; the name when absent. */
  text?: { en: string; zh: string };
  /** count: rows (or rows with a finite value when `values` is given); sum / mean of `values`. */
  aggregation: Aggregation;
  /** Per-row values; required for sum and mean. Non-finite values are skipped and counted. */
  values?: ArrayLike<number>;
  /** Per-row inclusion flag (e.g. rows whose event is `cart`); all rows when absent. */
  mask?: ArrayLike<number>;
}

/** Time-stamped rows of one table, already reduced to keys, times and features. */
export interface ActivitySource {
  /** Entity key per row; null where missing. */
  ids: ArrayLike<string | null>;
  /** Epoch ms per row; NaN where missing or unparseable. */
  times: ArrayLike<number>;
  /** Features this source contributes, in order. */
  features: ActivityFeature[];
}

/** Options of buildSequences. */
export interface BuildOptions {
  /** End of the observed window (exclusive), epoch ms. */
  cutoffMs: number;
  /** Period length. */
  period: Period;
  /** Number of periods T. */
  steps: number;
  /** The entities to build sequences for, in output order; null = every id seen before the cutoff, sorted. */
  universe: readonly string[] | null;
}

/** Counts of rows that did not land in a sequence, and why. */
export interface BuildCounts {
  /** Rows that fell into one of the T periods for a known entity. */
  used: number;
  /** Rows older than the first period. */
  beforeWindow: number;
  /** Rows at or after the cutoff (kept out of the features: they are the future). */
  afterCutoff: number;
  /** Rows without an id. */
  missingId: number;
  /** Rows whose time is missing or unparseable. */
  badTime: number;
  /** Rows in the window whose id is not in the universe. */
  unknownId: number;
  /** Row-feature values skipped because they were not finite numbers (sum/mean/count of values). */
  badValue: number;
}

/** Sequences built from activity rows. */
export interface BuiltSequences {
  /** Values [n, T, D], row-major. */
  x: Float32Array;
  /** Number of entities. */
  n: number;
  /** Periods per sequence. */
  steps: number;
  /** Features per period. */
  features: number;
  /** Entity ids, in row order. */
  ids: string[];
  /** Feature names. */
  featureNames: string[];
  /** Start date of each period. */
  stepLabels: string[];
  /** The time grid. */
  grid: PeriodGrid;
  /** Number of activity rows per entity inside the window (all sources), length n. */
  activeRows: Int32Array;
  /** What happened to the rows. */
  counts: BuildCounts;
  /** Earliest and latest finite row time over all sources (NaN when none). */
  timeRange: { min: number; max: number };
}

/** Orders ids numerically when both look like numbers, else by code unit (locale-free). */
export function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Builds per-entity sequences: for each entity of the universe and each of the T periods
 * before the cutoff, every feature of every source aggregated over the entity's rows in that
 * period. Entities with no rows in a period get 0 (count and sum of nothing are 0; the mean of
 * nothing is written as 0 too, so that "no activity" reads the same in every feature).
 */
export function buildSequences(sources: readonly ActivitySource[], options: BuildOptions): BuiltSequences {
  const grid = periodGrid(options.cutoffMs, options.period, options.steps);
  const T = options.steps;
  const counts: BuildCounts = { used: 0, beforeWindow: 0, afterCutoff: 0, missingId: 0, badTime: 0, unknownId: 0, badValue: 0 };
  let minTime = Infinity;
  let maxTime = -Infinity;

  for (const source of sources) {
    if (source.times.length !== source.ids.length) throw new RangeError(`buildSequences: ${source.ids.length} ids but ${source.times.length} times.`);
    for (const f of source.features) {
      if ((f.aggregation === 'sum' || f.aggregation === 'mean') && f.values === undefined) throw new RangeError(`buildSequences: feature ${f.name} (${f.aggregation}) has no values.`);
      if (f.values !== undefined && f.values.length !== source.ids.length) throw new RangeError(`buildSequences: feature ${f.name} has ${f.values.length} values for ${source.ids.length} rows.`);
      if (f.mask !== undefined && f.mask.length !== source.ids.length) throw new RangeError(`buildSequences: feature ${f.name} has a mask of ${f.mask.length} for ${source.ids.length} rows.`);
    }
  }

  // The universe: given, or every id with a row before the cutoff.
  let ids: string[];
  if (options.universe !== null) {
    ids = [...options.universe];
  } else {
    const seen = new Set<string>();
    for (const source of sources) {
      for (let r = 0; r < source.ids.length; r++) {
        const id = source.ids[r];
        const t = source.times[r] ?? NaN;
        if (id !== null && id !== undefined && t < options.cutoffMs) seen.add(id);
      }
    }
    ids = [...seen].sort(compareIds);
  }
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  const n = ids.length;
  const featureNames = sources.flatMap((s) => s.features.map((f) => f.name));
  const D = featureNames.length;
  const sums = new Float64Array(n * T * D);
  // Per-cell number of values behind a mean (only used by mean features).
  const denominators = new Float64Array(n * T * D);
  const activeRows = new Int32Array(n);

  let offset = 0;
  for (const source of sources) {
    const rows = source.ids.length;
    for (let r = 0; r < rows; r++) {
      const t = source.times[r] ?? NaN;
      if (Number.isFinite(t)) {
        if (t < minTime) minTime = t;
        if (t > maxTime) maxTime = t;
      }
      const id = source.ids[r];
      if (id === null || id === undefined) {
        counts.missingId++;
        continue;
      }
      if (!Number.isFinite(t)) {
        counts.badTime++;
        continue;
      }
      if (t >= options.cutoffMs) {
        counts.afterCutoff++;
        continue;
      }
      const step = stepOf(grid, t);
      if (step < 0) {
        counts.beforeWindow++;
        continue;
      }
      const entity = index.get(id);
      if (entity === undefined) {
        counts.unknownId++;
        continue;
      }
      counts.used++;
      activeRows[entity] = (activeRows[entity] ?? 0) + 1;
      const base = (entity * T + step) * D + offset;
      source.features.forEach((f, j) => {
        if (f.mask !== undefined && !f.mask[r]) return;
        const cell = base + j;
        if (f.values === undefined) {
          sums[cell] = (sums[cell] ?? 0) + 1;
          return;
        }
        const v = f.values[r] ?? NaN;
        if (!Number.isFinite(v)) {
          counts.badValue++;
          return;
        }
        switch (f.aggregation) {
          case 'count':
            sums[cell] = (sums[cell] ?? 0) + 1;
            break;
          case 'sum':
            sums[cell] = (sums[cell] ?? 0) + v;
            break;
          case 'mean':
            sums[cell] = (sums[cell] ?? 0) + v;
            denominators[cell] = (denominators[cell] ?? 0) + 1;
            break;
          default:
            assertNever(f.aggregation);
        }
      });
    }
    offset += source.features.length;
  }

  const x = new Float32Array(n * T * D);
  const isMean = new Uint8Array(D);
  let j0 = 0;
  for (const source of sources) for (const f of source.features) isMean[j0++] = f.aggregation === 'mean' ? 1 : 0;
  for (let c = 0; c < x.length; c++) {
    const s = sums[c] ?? 0;
    if (isMean[c % D]) {
      const d = denominators[c] ?? 0;
      x[c] = d > 0 ? s / d : 0;
    } else {
      x[c] = s;
    }
  }
  return {
    x,
    n,
    steps: T,
    features: D,
    ids,
    featureNames,
    stepLabels: grid.labels,
    grid,
    activeRows,
    counts,
    timeRange: minTime <= maxTime ? { min: minTime, max: maxTime } : { min: NaN, max: NaN },
  };
}

/**
 * Horizon labels: 1 when the entity has at least one row (with mask set, if given) with time in
 * [cutoffMs, horizonEndMs), else 0. Rows of ids outside the universe are ignored.
 */
export function horizonLabels(
  ids: ArrayLike<string | null>,
  times: ArrayLike<number>,
  universe: readonly string[],
  cutoffMs: number,
  horizonEndMs: number,
  mask?: ArrayLike<number>,
): { labels: Float32Array; rowsInHorizon: number } {
  const index = new Map<string, number>();
  universe.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  const labels = new Float32Array(universe.length);
  let rowsInHorizon = 0;
  for (let r = 0; r < ids.length; r++) {
    const t = times[r] ?? NaN;
    if (!(t >= cutoffMs && t < horizonEndMs)) continue;
    if (mask !== undefined && !mask[r]) continue;
    const id = ids[r];
    if (id === null || id === undefined) continue;
    rowsInHorizon++;
    const i = index.get(id);
    if (i !== undefined) labels[i] = 1;
  }
  return { labels, rowsInHorizon };
}

/** Rows with a time at or after `ms` (NaN times are not counted). */
export function rowsAtOrAfter(times: ArrayLike<number>, ms: number): number {
  let count = 0;
  for (let r = 0; r < times.length; r++) if ((times[r] ?? Number.NaN) >= ms) count++;
  return count;
}

/** Counts of a label vector: NaN entries (missing), the rest (known) and their sum (positives, for 0/1 labels). */
export function labelCounts(labels: ArrayLike<number>): { missing: number; known: number; positives: number } {
  let missing = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] ?? Number.NaN;
    if (Number.isNaN(v)) missing++;
    else positives += v;
  }
  return { missing, known: labels.length - missing, positives };
}

/**
 * Appends S static per-entity features (row-major [n, S]) to every step of x [n, T, D];
 * returns x' [n, T, D + S].
 */
export function appendStatic(x: Float32Array, n: number, steps: number, features: number, statics: ArrayLike<number>, staticCount: number): Float32Array {
  if (x.length !== n * steps * features) throw new RangeError(`appendStatic: x has ${x.length} values, expected ${n}·${steps}·${features}.`);
  if (statics.length !== n * staticCount) throw new RangeError(`appendStatic: ${statics.length} static values, expected ${n}·${staticCount}.`);
  const D2 = features + staticCount;
  const out = new Float32Array(n * steps * D2);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) {
      const src = (i * steps + t) * features;
      const dst = (i * steps + t) * D2;
      for (let j = 0; j < features; j++) out[dst + j] = x[src + j] ?? 0;
      for (let s = 0; s < staticCount; s++) out[dst + features + s] = statics[i * staticCount + s] ?? 0;
    }
  }
  return out;
}

/** The first non-finite value of x [n, T, D], or null when all are finite. */
export function findNonFinite(x: ArrayLike<number>, n: number, steps: number, features: number): { row: number; step: number; feature: number; value: number } | null {
  const total = n * steps * features;
  for (let c = 0; c < total; c++) {
    const v = x[c] ?? NaN;
    if (!Number.isFinite(v)) {
      const feature = c % features;
      const step = Math.floor(c / features) % steps;
      const row = Math.floor(c / (features * steps));
      return { row, step, feature, value: v };
    }
  }
  return null;
}

/** How features are scaled before they reach the network. */
export type SequenceScaling = 'log-standard' | 'standard' | 'none';

/** Every scaling method, in display order. */
export const SCALING_METHODS: readonly SequenceScaling[] = ['log-standard', 'standard', 'none'];

/**
 * A fitted per-feature scaler: v' = (g(v) − mean) / std with g = signed log1p
 * (sign(v)·ln(1 + |v|)) for 'log-standard' and the identity otherwise. Plain data (JSON-safe).
 */
export interface SequenceScaler {
  /** Method it was fitted with. */
  method: SequenceScaling;
  /** Per-feature mean of g(v) over the fitting rows and all their steps. */
  mean: number[];
  /** Per-feature population standard deviation of g(v); 1 where the feature is constant. */
  std: number[];
  /** Number of sequences it was fitted on. */
  rows: number;
}

function transformValue(method: SequenceScaling, v: number): number {
  switch (method) {
    case 'log-standard':
      return Math.sign(v) * Math.log1p(Math.abs(v));
    case 'standard':
    case 'none':
      return v;
    default:
      return assertNever(method);
  }
}

/**
 * Fits a scaler on the given rows only (e.g. a fold's training rows) so that no held-out
 * sequence influences the scaling; `rows` null = all rows. Statistics in float64.
 */
export function fitScaler(x: ArrayLike<number>, n: number, steps: number, features: number, method: SequenceScaling, rows: ArrayLike<number> | null = null): SequenceScaler {
  const mean = new Array<number>(features).fill(0);
  const std = new Array<number>(features).fill(1);
  const count = rows === null ? n : rows.length;
  if (method === 'none' || count === 0) return { method, mean, std, rows: count };
  const sum = new Float64Array(features);
  const sumSq = new Float64Array(features);
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : (rows[k] ?? 0);
    for (let t = 0; t < steps; t++) {
      const base = (i * steps + t) * features;
      for (let j = 0; j < features; j++) {
        const v = transformValue(method, x[base + j] ?? 0);
        sum[j] = (sum[j] ?? 0) + v;
      }
    }
  }
  const cells = count * steps;
  for (let j = 0; j < features; j++) mean[j] = (sum[j] ?? 0) / cells;
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : (rows[k] ?? 0);
    for (let t = 0; t < steps; t++) {
      const base = (i * steps + t) * features;
      for (let j = 0; j < features; j++) {
        const d = transformValue(method, x[base + j] ?? 0) - (mean[j] ?? 0);
        sumSq[j] = (sumSq[j] ?? 0) + d * d;
      }
    }
  }
  for (let j = 0; j < features; j++) {
    const sd = Math.sqrt((sumSq[j] ?? 0) / cells);
    // A constant feature (sd 0, or float noise around it) is centred to 0, never divided by ~0.
    std[j] = sd > 1e-12 ? sd : 1;
  }
  return { method, mean, std, rows: count };
}

/** Applies a fitted scaler to x [n, T, D]; returns a new array. */
export function applyScaler(scaler: SequenceScaler, x: ArrayLike<number>, n: number, steps: number, features: number): Float32Array {
  if (scaler.mean.length !== features) throw new RangeError(`applyScaler: the scaler was fitted on ${scaler.mean.length} features, the sequences have ${features}.`);
  const out = new Float32Array(n * steps * features);
  for (let c = 0; c < out.length; c++) {
    const j = c % features;
    out[c] = (transformValue(scaler.method, x[c] ?? 0) - (scaler.mean[j] ?? 0)) / (scaler.std[j] ?? 1);
  }
  return out;
}

/** Picks rows [i] of x [n, T, D] (e.g. a fold); returns a new array [rows.length, T, D]. */
export function selectRows(x: ArrayLike<number>, steps: number, features: number, rows: ArrayLike<number>): Float32Array {
  const width = steps * features;
  const out = new Float32Array(rows.length * width);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] ?? 0;
    for (let c = 0; c < width; c++) out[k * width + c] = x[i * width + c] ?? 0;
  }
  return out;
}

/** Per-entity totals over the steps: [n, D] row-major (sum of each feature over time). */
export function sequenceTotals(x: ArrayLike<number>, n: number, steps: number, features: number): Float64Array {
  const out = new Float64Array(n * features);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) {
      const base = (i * steps + t) * features;
      for (let j = 0; j < features; j++) out[i * features + j] = (out[i * features + j] ?? 0) + (x[base + j] ?? 0);
    }
  }
  return out;
}

