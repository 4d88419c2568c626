/**
 * The weighted feature score f_i = Σ_j w_j x'_ij over (normalised) feature columns x'_j.
 * Weights are typed per column — scaled so that Σ_j |w_j| = 1, which keeps each sign, so a
 * negative weight says "lower is better" (recency) — or derived by the entropy-weight method
 * (src/ml/entropy-weight.ts) over the rows where every chosen column has a value, then given a
 * negative sign for the columns marked lower-is-better. Contribution columns hold w_j x'_ij, so
 * a row's contributions add up to its score. Rank 1 is the highest score; equal scores share
 * the smallest rank (1, 2, 2, 4). Rows missing any weighted value get no score and no rank.
 */
import { entropyWeights } from '../ml/entropy-weight.ts';
import { matrix } from '../ml/matrix.ts';
import { readNumbers, type Values } from './columns.ts';
import { DataError, errorTemplate, warningTemplate, type DataNote, type KernelMessages } from './issues.ts';

/** Ways to get weights. */
export const weightMethods = ['typed', 'entropy'] as const;

/** One way to get weights. */
export type WeightMethod = (typeof weightMethods)[number];

/** Messages of weighting (a weight node declares them all). */
export const weightMessages = {
  notNumeric: errorTemplate('Column {column} in parameter {param} must hold numbers; it holds values such as {example}.'),
  noWeights: errorTemplate('Parameter "weights" gives no column a non-zero weight; give at least one column a weight such as 0.4, or a negative one for "lower is better".'),
  noColumns: errorTemplate('Parameter "columns" names no columns; the entropy-weight method needs at least one numeric column.'),
  negativeForEntropy: errorTemplate('Column {column} has negative values such as {example}; the entropy-weight method needs non-negative columns, e.g. after a min-max Normalise.'),
  notNormalised: warningTemplate('Column {column} ranges over [{min}, {max}], not [0, 1]; weight columns after a min-max Normalise so that they are comparable.'),
  incompleteRows: warningTemplate('{count} rows have a missing or non-finite value in a weighted column; their score and rank are missing.'),
  equalWeights: warningTemplate('The entropy-weight method cannot tell the columns apart ({reason}); every column gets the same weight.'),
  zeroColumns: warningTemplate('Columns {columns} are 0 in every row; the entropy-weight method gives them weight 0.'),
  noScoredRows: warningTemplate('No row has a value in every weighted column; nothing was scored.'),
} satisfies KernelMessages;

/** Typed weights scaled so the absolute weights sum to 1; throws noWeights when all are 0. */
export function scaleWeights(raw: readonly number[]): number[] {
  let total = 0;
  for (const w of raw) total += Math.abs(w);
  if (!(total > 0)) throw new DataError(weightMessages, 'noWeights', {}, 'weights');
  return raw.map((w) => w / total);
}

/** Reads the chosen columns as numbers; throws notNumeric for a non-numeric one. */
export function readFeatureColumns(columns: readonly { name: string; values: Values }[], param: string): Float64Array[] {
  return columns.map(({ name, values }) => {
    const read = readNumbers(values);
    if (read.nonNumeric > 0) {
      const example = read.nonNumericExample instanceof Date ? read.nonNumericExample.toISOString() : String(read.nonNumericExample);
      throw new DataError(weightMessages, 'notNumeric', { column: name, param, example }, param);
    }
    return read.values;
  });
}

/** Rows where every column has a (finite) value. */
export function completeRows(columns: readonly Float64Array[], rows: number): Uint8Array {
  const complete = new Uint8Array(rows).fill(1);
  for (const x of columns) for (let i = 0; i < rows; i++) if (x[i] !== x[i]) complete[i] = 0;
  return complete;
}

/** Entropy weights of the columns over the complete rows, signed by `lowerIsBetter`. */
export function entropyColumnWeights(
  names: readonly string[],
  columns: readonly Float64Array[],
  complete: Uint8Array,
  lowerIsBetter: ReadonlySet<string>,
): { weights: number[]; entropy: number[]; divergence: number[]; notes: DataNote[] } {
  if (columns.length === 0) throw new DataError(weightMessages, 'noColumns', {}, 'columns');
  const d = columns.length;
  let n = 0;
  for (let i = 0; i < complete.length; i++) n += complete[i]!;
  const notes: DataNote[] = [];
  if (n === 0) {
    return { weights: names.map((name) => (lowerIsBetter.has(name) ? -1 : 1) / d), entropy: names.map(() => 1), divergence: names.map(() => 0), notes };
  }
  const values = new Float64Array(n * d);
  let r = 0;
  for (let i = 0; i < complete.length; i++) {
    if (!complete[i]) continue;
    for (let j = 0; j < d; j++) {
      const v = columns[j]![i]!;
      if (v < 0) throw new DataError(weightMessages, 'negativeForEntropy', { column: names[j] ?? '', example: v }, 'columns');
      values[r * d + j] = v;
    }
    r++;
  }
  const result = entropyWeights(matrix(values, n, d));
  if (result.fallback !== null) notes.push({ code: 'equalWeights', values: { reason: result.fallback === 'single-row' ? 'there is only one complete row' : 'no column varies' } });
  if (result.zeroColumns.length > 0 && result.fallback === null) notes.push({ code: 'zeroColumns', values: { columns: result.zeroColumns.map((j) => names[j] ?? '').join(', ') } });
  return {
    weights: names.map((name, j) => (lowerIsBetter.has(name) ? -1 : 1) * result.weights[j]!),
    entropy: Array.from(result.entropy),
    divergence: Array.from(result.divergence),
    notes,
  };
}

/** Scores, contributions and ranks for the given columns and weights. */
export function weightedScores(columns: readonly Float64Array[], weights: readonly number[], rows: number): { score: Float64Array; contributions: Float64Array[]; rank: Float64Array; incomplete: number } {
  const complete = completeRows(columns, rows);
  const score = new Float64Array(rows);
  const contributions = columns.map(() => new Float64Array(rows));
  let incomplete = 0;
  for (let i = 0; i < rows; i++) {
    if (!complete[i]) {
      incomplete++;
      score[i] = Number.NaN;
      for (const c of contributions) c[i] = Number.NaN;
      continue;
    }
    let s = 0;
    for (let j = 0; j < columns.length; j++) {
      const part = weights[j]! * columns[j]![i]!;
      contributions[j]![i] = part;
      s += part;
    }
    score[i] = s;
  }
  return { score, contributions, rank: competitionRank(score), incomplete };
}

/** Rank 1 for the highest value; ties share the smallest rank; NaN stays NaN. */
export function competitionRank(values: Float64Array): Float64Array {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) order.push(i);
  order.sort((a, b) => values[b]! - values[a]! || a - b);
  const rank = new Float64Array(values.length).fill(Number.NaN);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const previous = k > 0 ? order[k - 1]! : -1;
    rank[i] = k > 0 && values[i] === values[previous] ? rank[previous]! : k + 1;
  }
  return rank;
}

/** Columns whose values leave [0, 1] (with their range), for the notNormalised warning. */
export function outsideUnitRange(names: readonly string[], columns: readonly Float64Array[]): { column: string; min: number; max: number }[] {
  const out: { column: string; min: number; max: number }[] = [];
  columns.forEach((x, j) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v !== v) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min < 0 || max > 1) out.push({ column: names[j] ?? '', min, max });
  });
  return out;
}
