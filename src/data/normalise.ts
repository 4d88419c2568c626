/**
 * Scaling numeric columns, fitted on one table and applicable to others. Every method has the
 * form x' = (x − center) / scale:
 *   min-max  center = min,    scale = max − min   (x' = (x − min)/(max − min), in [0, 1])
 *   z-score  center = mean,   scale = population standard deviation (as scikit-learn)
 *   robust   center = median, scale = IQR = Q3 − Q1 (type-7 quantiles, as scikit-learn)
 * A column whose scale is 0 (constant, or a single value) becomes 0 — never a division by
 * zero — and the caller is told. Missing and non-finite cells stay missing and are not fitted;
 * NaN never reaches the output.
 */
import { readNumbers, type Values } from './columns.ts';
import { assertNever } from './infer.ts';
import { DataError, errorTemplate, warningTemplate, type KernelMessages } from './issues.ts';
import { quantileSorted, sortedPresent } from './quantile.ts';

/** Scaling methods. */
export const scalingMethods = ['min-max', 'z-score', 'robust'] as const;

/** One scaling method. */
export type ColumnScalingMethod = (typeof scalingMethods)[number];

/** Fitted scaling of one column. */
export interface ColumnScaling {
  /** Subtracted from every value. */
  center: number;
  /** Divides the centred value; 0 means the column is constant and maps to 0. */
  scale: number;
  /** Values the fit saw. */
  count: number;
  /** Method statistics (min/max, mean/sd, median/q1/q3), for display. */
  stats: Record<string, number>;
}

/** Messages of scaling (a normalise node declares them all). */
export const normaliseMessages = {
  notNumeric: errorTemplate('Column {column} in parameter {param} must hold numbers; it holds values such as {example}.'),
  constantColumn: warningTemplate('Column {column} is constant; scaled to 0.'),
  noValues: warningTemplate('Column {column} has no values to fit; it stays missing.'),
  nonFinite: warningTemplate('Column {column}: {count} infinite values were treated as missing.'),
  noColumns: warningTemplate('There are no numeric columns to scale; the table passes through unchanged.'),
  badTransform: errorTemplate('The transform connected to input "fitted" is not a fitted scaling ({reason}).'),
  transformColumnMissing: errorTemplate('The fitted scaling names column {column}, which this table does not have.'),
} satisfies KernelMessages;

/** Fits one column's scaling; null when it has no values. */
export function fitScaling(values: Float64Array, method: ColumnScalingMethod): ColumnScaling | null {
  const sorted = sortedPresent(values);
  const n = sorted.length;
  if (n === 0) return null;
  switch (method) {
    case 'min-max': {
      const min = sorted[0]!;
      const max = sorted[n - 1]!;
      return { center: min, scale: max - min, count: n, stats: { min, max } };
    }
    case 'z-score': {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += sorted[i]!;
      const mean = sum / n;
      let squares = 0;
      for (let i = 0; i < n; i++) squares += (sorted[i]! - mean) ** 2;
      const sd = Math.sqrt(squares / n);
      // Rounding can leave a tiny spread in a constant column; compare with the values' size.
      const scale = sd <= Math.abs(mean) * 1e-14 ? 0 : sd;
      return { center: mean, scale, count: n, stats: { mean, sd } };
    }
    case 'robust': {
      const median = quantileSorted(sorted, 0.5);
      const q1 = quantileSorted(sorted, 0.25);
      const q3 = quantileSorted(sorted, 0.75);
      return { center: median, scale: q3 - q1, count: n, stats: { median, q1, q3 } };
    }
    default:
      return assertNever(method);
  }
}

/** Applies a scaling: (x − center) / scale, 0 where scale is 0, NaN (missing) kept; optional clip to [0, 1]. */
export function applyScaling(values: Float64Array, scaling: ColumnScaling, clip = false): Float64Array {
  const out = new Float64Array(values.length);
  const { center, scale } = scaling;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      out[i] = Number.NaN;
      continue;
    }
    let y = scale === 0 ? 0 : (x - center) / scale;
    if (clip) y = y < 0 ? 0 : y > 1 ? 1 : y;
    out[i] = y;
  }
  return out;
}

/** Reads a column for scaling; throws when it is not numeric. */
export function numericForScaling(values: Values, column: string, param: string): { values: Float64Array; nonFinite: number } {
  const read = readNumbers(values);
  if (read.nonNumeric > 0) throw new DataError(normaliseMessages, 'notNumeric', { column, param, example: exampleText(read.nonNumericExample) }, param);
  return { values: read.values, nonFinite: read.nonFinite };
}

function exampleText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** A fitted scaling as transform parameters (JSON). */
export interface ScalingParams {
  /** The method. */
  method: ColumnScalingMethod;
  /** Per column. */
  columns: Record<string, { center: number; scale: number; count: number; stats: Record<string, number> }>;
  /** Suffix of the output columns ('' = replaced in place). */
  suffix: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads scaling parameters from an untrusted transform; throws badTransform with the reason. */
export function readScalingParams(kind: string, params: unknown): ScalingParams {
  const bad = (reason: string): never => {
    throw new DataError(normaliseMessages, 'badTransform', { reason }, 'fitted');
  };
  if (kind !== 'normalise') return bad(`it came from ${JSON.stringify(kind)}`);
  if (!isRecord(params)) return bad('no parameters');
  const method = scalingMethods.find((m) => m === params.method);
  if (method === undefined) return bad(`unknown method ${JSON.stringify(params.method)}`);
  const columns = params.columns;
  if (!isRecord(columns)) return bad('no columns');
  const out: ScalingParams['columns'] = {};
  for (const [name, entry] of Object.entries(columns)) {
    if (!isRecord(entry)) return bad(`column ${JSON.stringify(name)} has no fit`);
    const { center, scale, count, stats } = entry;
    if (typeof center !== 'number' || typeof scale !== 'number' || !Number.isFinite(center) || !Number.isFinite(scale)) return bad(`column ${JSON.stringify(name)} has no finite center and scale`);
    const numbers: Record<string, number> = {};
    if (isRecord(stats)) for (const [k, v] of Object.entries(stats)) if (typeof v === 'number') numbers[k] = v;
    out[name] = { center, scale, count: typeof count === 'number' ? count : 0, stats: numbers };
  }
  const suffix = typeof params.suffix === 'string' ? params.suffix : '';
  return { method, columns: out, suffix };
}
