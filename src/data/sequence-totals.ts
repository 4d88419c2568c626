/**
 * Order-blind summaries of built sequences, one row per customer, for a tabular model beside
 * the LSTM (the sequence node's `totals` port): the same customers in the same order, each
 * activity feature's total over the window, its total over the most recent quarter of the
 * window, the periods since the last active one, the static features and the label.
 *
 * Why these columns: totals alone would leave a tree blind to recency, which the LSTM reads
 * from the order of the periods and which drives most purchase labels; the recent total and
 * the periods since activity give the tree recency as two numbers, so the comparison asks
 * whether the LSTM's full order of periods adds anything over totals plus recency. Both are
 * one pass over x, as cheap as the totals.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { assertNever } from '../engine/errors.ts';
import type { Aggregation } from './sequences.ts';

/** A named column of per-customer numbers. */
export interface NumberColumn {
  /** Column name. */
  name: string;
  /** One value per customer, in sequence order. */
  values: Float64Array;
}

/** The number of most recent periods summarised again as "recent": a quarter of the window, at least one. */
export function recentSteps(steps: number): number {
  return Math.max(1, Math.ceil(steps / 4));
}

/** The name of the periods-since-activity column. */
export const SINCE_ACTIVITY = 'periods_since_activity';

/**
 * Per-customer summaries of the first `features.length` features of x [n, T, width]
 * (the activity features; static ones follow them): for each feature `<name>_total` over the T
 * periods and `<name>_last<k>` over the last `recent` periods — the sum for count and sum
 * features, the mean of the non-zero periods for a mean feature (0 when none, as the sequences
 * write "no activity") — then `periods_since_activity`: how many periods after the last one with
 * any non-zero activity feature (0: active in the last period; T: never active in the window).
 */
export function windowSummaries(x: ArrayLike<number>, n: number, steps: number, width: number, features: readonly { name: string; aggregation: Aggregation }[], recent: number): NumberColumn[] {
  const D = features.length;
  const names = features.map((f) => f.name);
  if (D > width) throw new RangeError(`windowSummaries: ${D} activity features in a width of ${width}.`);
  if (x.length !== n * steps * width) throw new RangeError(`windowSummaries: x has ${x.length} values, expected ${n}·${steps}·${width}.`);
  const k = Math.min(steps, Math.max(1, Math.floor(recent)));
  const total = names.map(() => new Float64Array(n));
  const last = names.map(() => new Float64Array(n));
  const since = new Float64Array(n).fill(steps);
  const sum = new Float64Array(2 * D);
  const count = new Float64Array(2 * D);
  for (let i = 0; i < n; i++) {
    sum.fill(0);
    count.fill(0);
    for (let t = 0; t < steps; t++) {
      const base = (i * steps + t) * width;
      const isRecent = t >= steps - k;
      let active = false;
      for (let j = 0; j < D; j++) {
        const v = x[base + j] ?? 0;
        if (v === 0) continue;
        active = true;
        sum[j] = (sum[j] ?? 0) + v;
        count[j] = (count[j] ?? 0) + 1;
        if (isRecent) {
          sum[D + j] = (sum[D + j] ?? 0) + v;
          count[D + j] = (count[D + j] ?? 0) + 1;
        }
      }
      if (active) since[i] = steps - 1 - t;
    }
    for (let j = 0; j < D; j++) {
      const aggregation = features[j]?.aggregation ?? 'sum';
      total[j]![i] = summarise(aggregation, sum[j] ?? 0, count[j] ?? 0);
      last[j]![i] = summarise(aggregation, sum[D + j] ?? 0, count[D + j] ?? 0);
    }
  }
  return [
    ...names.map((name, j) => ({ name: `${name}_total`, values: total[j]! })),
    ...names.map((name, j) => ({ name: `${name}_last${k}`, values: last[j]! })),
    { name: SINCE_ACTIVITY, values: since },
  ];
}

function summarise(aggregation: Aggregation, sum: number, count: number): number {
  switch (aggregation) {
    case 'count':
    case 'sum':
      return sum;
    case 'mean':
      return count > 0 ? sum / count : 0;
    default:
      return assertNever(aggregation);
  }
}

/**
 * The totals table: `idColumn` (the sequences' ids, as text), the summaries, the static
 * columns (`statics.values` row-major [n, names.length], null for none) and `label` (0/1, null
 * where unknown). The id and the label keep their names; any other name already taken gets
 * `_2`, `_3`, … so no column hides another (e.g. a static column named like the id).
 */
export function totalsTable(ids: readonly string[], idColumn: string, summaries: readonly NumberColumn[], statics: { names: readonly string[]; values: ArrayLike<number> } | null, labels: ArrayLike<number>): ColumnTable {
  const n = ids.length;
  for (const c of summaries) if (c.values.length !== n) throw new RangeError(`totalsTable: column ${c.name} has ${c.values.length} values for ${n} customers.`);
  const S = statics?.names.length ?? 0;
  if (statics && statics.values.length !== n * S) throw new RangeError(`totalsTable: ${statics.values.length} static values, expected ${n}·${S}.`);
  if (labels.length !== n) throw new RangeError(`totalsTable: ${labels.length} labels for ${n} customers.`);
  const taken = new Set<string>([idColumn]);
  const unique = (name: string): string => {
    let u = name;
    for (let s = 2; taken.has(u); s++) u = `${name}_${s}`;
    taken.add(u);
    return u;
  };
  const labelName = unique('label');
  const columns: [string, unknown[]][] = [[idColumn, [...ids]]];
  for (const c of summaries) columns.push([unique(c.name), Array.from(c.values)]);
  statics?.names.forEach((name, s) => columns.push([unique(name), Array.from({ length: n }, (_, i) => statics.values[i * S + s] ?? 0)]));
  columns.push([labelName, Array.from({ length: n }, (_, i) => {
    const y = labels[i] ?? Number.NaN;
    return y === 0 || y === 1 ? y : null;
  })]);
  return aq.table(Object.fromEntries(columns));
}
