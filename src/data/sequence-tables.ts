/**
 * The table side of sequence building: which per-period features an activity table
 * contributes (row counts, counts per category value, per-column count/sum/mean), and the
 * per-entity static features joined by id. Tables in, the plain arrays src/data/sequences.ts
 * takes out.
 */
import type { ColumnTable } from 'arquero';
import { idKey, numericCell } from './cells.ts';
import { compareIds, type Aggregation, type ActivityFeature } from './sequences.ts';

/** Most distinct values of the count-by column that become features (the most frequent ones). */
export const MAX_COUNT_BY_VALUES = 16;

/** What one activity table asks for. */
export interface ActivityFeatureOptions {
  /** Prefix of every feature name (e.g. `extra_`), '' for none. */
  prefix: string;
  /** One feature: the number of rows per period. */
  countRows: boolean;
  /** A category column: one count per value, for its MAX_COUNT_BY_VALUES most frequent values ('' for none). */
  countBy: string;
  /** Numeric columns summarised per period by count, sum or mean. */
  values: Readonly<Record<string, Aggregation>>;
}

/**
 * The features one activity table contributes; columns it lacks are skipped. `countByValues`
 * is the number of distinct count-by values (more than MAX_COUNT_BY_VALUES means some were left out).
 */
export function activityFeatures(table: ColumnTable, o: ActivityFeatureOptions): { features: ActivityFeature[]; countByValues: number } {
  const present = new Set(table.columnNames());
  const features: ActivityFeature[] = [];
  let countByValues = 0;
  if (o.countRows) features.push({ name: `${o.prefix}rows`, aggregation: 'count' });
  if (o.countBy !== '' && present.has(o.countBy)) {
    const cells = Array.from(table.array(o.countBy), (v) => (v === null || v === undefined ? null : String(v).trim()));
    const frequency = new Map<string, number>();
    for (const c of cells) if (c !== null && c !== '') frequency.set(c, (frequency.get(c) ?? 0) + 1);
    // Most frequent first; ties by name so the feature order never depends on row order.
    const kept = [...frequency.entries()].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).slice(0, MAX_COUNT_BY_VALUES).map(([v]) => v).sort(compareIds);
    countByValues = frequency.size;
    for (const value of kept) features.push({ name: `${o.prefix}${o.countBy}_${value}`, aggregation: 'count', mask: Uint8Array.from(cells, (c) => (c === value ? 1 : 0)) });
  }
  for (const [name, aggregation] of Object.entries(o.values)) {
    if (!present.has(name)) continue;
    features.push({ name: `${o.prefix}${name}_${aggregation}`, aggregation, values: Float64Array.from(table.array(name), numericCell) });
  }
  return { features, countByValues };
}

/**
 * Static features per entity, [ids.length, columns.length] row-major, joined on `idColumn`
 * (first row of a repeated id); a missing or non-numeric value becomes the column mean and is
 * counted in `filled`. Stops at the first column with no numeric value for any entity and
 * names it in `empty` (values are then incomplete).
 */
export function staticFeatureValues(statics: ColumnTable, idColumn: string, columns: readonly string[], ids: readonly string[]): { values: Float64Array; filled: number; empty: string | null } {
  const S = columns.length;
  const n = ids.length;
  const values = new Float64Array(n * S);
  const rowOf = new Map<string, number>();
  Array.from(statics.array(idColumn), idKey).forEach((key, r) => {
    if (key !== null && !rowOf.has(key)) rowOf.set(key, r);
  });
  let filled = 0;
  for (let s = 0; s < S; s++) {
    const name = columns[s]!;
    const cells = statics.array(name);
    let sum = 0;
    let count = 0;
    const raw = new Float64Array(n);
    ids.forEach((id, i) => {
      const r = rowOf.get(id);
      const v = r === undefined ? Number.NaN : numericCell(cells[r]);
      raw[i] = v;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    });
    if (count === 0) return { values, filled, empty: name };
    const mean = sum / count;
    raw.forEach((v, i) => {
      if (!Number.isFinite(v)) filled++;
      values[i * S + s] = Number.isFinite(v) ? v : mean;
    });
  }
  return { values, filled, empty: null };
}
