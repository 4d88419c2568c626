/**
 * The table side of sequence building: which per-period features an activity table
 * contributes (row counts, counts per category value, per-column count/sum/mean), and the
 * per-entity static features joined by id. Tables in, the plain arrays src/data/sequences.ts
 * takes out.
 */
import type { ColumnTable } from 'arquero';
import { idKey, labelCell, numericCell } from './cells.ts';
import { toEpochMs } from './dates.ts';
import { assertNever } from '../engine/errors.ts';
import { appendStatic, compareIds, horizonLabels, rowsAtOrAfter, type Aggregation, type ActivityFeature, type ActivitySource, type BuiltSequences } from './sequences.ts';

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
  /** Whether this is a second ("more activity") table, named so in the features' words; default false. */
  extra?: boolean;
}

/** A plural for a column name that is one English word ("event" → "events"), else null. */
function plural(word: string): string | null {
  if (!/^[A-Za-z]+$/.test(word)) return null;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** A feature in words, en and zh, from how it is defined (the table, the count-by value, the column and aggregation). */
export function featureText(definition: { extra: boolean } & ({ kind: 'rows' } | { kind: 'countBy'; column: string; value: string } | { kind: 'value'; column: string; aggregation: Aggregation })): { en: string; zh: string } {
  const d = definition;
  switch (d.kind) {
    case 'rows':
      return d.extra ? { en: 'extra activity rows', zh: '补充活动记录数' } : { en: 'activity rows', zh: '活动记录数' };
    case 'countBy': {
      const many = plural(d.column);
      return { en: many === null ? `rows with ${d.column} ${d.value}` : `${d.value} ${many}`, zh: `${d.value}（${d.column}）次数` };
    }
    case 'value':
      if (d.aggregation === 'sum') return { en: `total ${d.column}`, zh: `${d.column} 合计` };
      if (d.aggregation === 'mean') return { en: `average ${d.column}`, zh: `${d.column} 平均值` };
      return { en: `${d.column} count`, zh: `${d.column} 计数` };
    default:
      return assertNever(d);
  }
}

/**
 * The features one activity table contributes; columns it lacks are skipped. `countByValues`
 * is the number of distinct count-by values (more than MAX_COUNT_BY_VALUES means some were left out).
 */
export function activityFeatures(table: ColumnTable, o: ActivityFeatureOptions): { features: ActivityFeature[]; countByValues: number } {
  const present = new Set(table.columnNames());
  const features: ActivityFeature[] = [];
  let countByValues = 0;
  const extra = o.extra ?? false;
  if (o.countRows) features.push({ name: `${o.prefix}rows`, aggregation: 'count', text: featureText({ extra, kind: 'rows' }) });
  if (o.countBy !== '' && present.has(o.countBy)) {
    const cells = Array.from(table.array(o.countBy), (v) => (v === null || v === undefined ? null : String(v).trim()));
    const frequency = new Map<string, number>();
    for (const c of cells) if (c !== null && c !== '') frequency.set(c, (frequency.get(c) ?? 0) + 1);
    // Most frequent first; ties by name so the feature order never depends on row order.
    const kept = [...frequency.entries()].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0])).slice(0, MAX_COUNT_BY_VALUES).map(([v]) => v).sort(compareIds);
    countByValues = frequency.size;
    for (const value of kept) features.push({ name: `${o.prefix}${o.countBy}_${value}`, aggregation: 'count', text: featureText({ extra, kind: 'countBy', column: o.countBy, value }), mask: Uint8Array.from(cells, (c) => (c === value ? 1 : 0)) });
  }
  for (const [name, aggregation] of Object.entries(o.values)) {
    if (!present.has(name)) continue;
    features.push({ name: `${o.prefix}${name}_${aggregation}`, aggregation, text: featureText({ extra, kind: 'value', column: name, aggregation }), values: Float64Array.from(table.array(name), numericCell) });
  }
  return { features, countByValues };
}

/**
 * Every feature of sequences built from `sources` (then `staticColumns`) in words, as JSON for
 * the sequences' meta: a static column, or a feature without words, is its name; words that
 * two features share get the feature's name after them.
 */
export function sequenceFeatureTexts(sources: readonly Pick<ActivitySource, 'features'>[], staticColumns: readonly string[]): { en: string; zh: string }[] {
  const all = [...sources.flatMap((s) => s.features.map((f) => ({ name: f.name, text: f.text ?? { en: f.name, zh: f.name } }))), ...staticColumns.map((c) => ({ name: c, text: { en: c, zh: c } }))];
  const uses = new Map<string, number>();
  for (const f of all) uses.set(f.text.en, (uses.get(f.text.en) ?? 0) + 1);
  return all.map((f) => ((uses.get(f.text.en) ?? 0) > 1 && f.text.en !== f.name ? { en: `${f.text.en} (${f.name})`, zh: `${f.text.zh}（${f.name}）` } : f.text));
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

/**
 * The activity tables as buildSequences takes them: ids, times (epoch ms, NaN where unreadable)
 * and the features of `o` with each table's prefix; `countByValues` per table (more than
 * MAX_COUNT_BY_VALUES: some were left out); `anyTime` whether any row has a readable time.
 * `checkpoint` runs after each table (a cancel check).
 */
export function activitySources(
  tables: readonly { prefix: string; table: ColumnTable }[],
  idColumn: string,
  timeColumn: string,
  o: Omit<ActivityFeatureOptions, 'prefix'>,
  checkpoint: () => void = () => {},
): { sources: ActivitySource[]; anyTime: boolean; countByValues: number[] } {
  const sources: ActivitySource[] = [];
  const countByValues: number[] = [];
  let anyTime = false;
  for (const [index, { prefix, table }] of tables.entries()) {
    const ids = Array.from(table.array(idColumn), idKey);
    const times = Float64Array.from(table.array(timeColumn), (v) => toEpochMs(v) ?? Number.NaN);
    for (let r = 0; r < times.length; r++) if (Number.isFinite(times[r] ?? Number.NaN)) anyTime = true;
    const read = activityFeatures(table, { ...o, prefix, extra: index > 0 });
    countByValues.push(read.countByValues);
    sources.push({ ids, times, features: read.features });
    checkpoint();
  }
  return { sources, anyTime, countByValues };
}

/** The customers of a customers table, and their labels when a label column is read. */
export interface CustomerUniverse {
  /** Distinct ids in first-seen order (rows without an id are skipped). */
  universe: string[];
  /** Label per customer of the universe (labelCell of its first row), or null without a label column. */
  labels: Float32Array | null;
  /** Rows whose id was already seen (their label is not read). */
  duplicates: number;
  /** The first label that is not 0/1, true/false or yes/no, with its customer; labels are then incomplete. */
  badLabel: { id: string; value: unknown } | null;
}

/** Reads the customers table: its distinct ids and, when `labelColumn` is not null, their 0/1 labels. */
export function customerUniverse(customers: ColumnTable, idColumn: string, labelColumn: string | null): CustomerUniverse {
  const keys = Array.from(customers.array(idColumn), idKey);
  const labelValues: unknown[] | null = labelColumn === null ? null : Array.from(customers.array(labelColumn));
  const seen = new Map<string, number>();
  const labels: number[] = [];
  let duplicates = 0;
  for (let r = 0; r < keys.length; r++) {
    const key = keys[r];
    if (key === null || key === undefined) continue;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.set(key, seen.size);
    if (labelValues) {
      const label = labelCell(labelValues[r]);
      if (label === undefined) return { universe: [...seen.keys()], labels: null, duplicates, badLabel: { id: key, value: labelValues[r] } };
      labels.push(label);
    }
  }
  return { universe: [...seen.keys()], labels: labelValues ? Float32Array.from(labels) : null, duplicates, badLabel: null };
}

/**
 * Horizon labels of the first activity table (1: a row, with `positive` cells above 0 when
 * given, from the cutoff to the horizon end), the rows in that window and the rows after it.
 */
export function horizonLabelling(main: ActivitySource, ids: readonly string[], cutoffMs: number, horizonEndMs: number, positive: ArrayLike<unknown> | null): { labels: Float32Array; rowsInHorizon: number; rowsAfter: number } {
  const mask = positive === null ? undefined : Uint8Array.from(Array.from(positive), (v) => (numericCell(v) > 0 ? 1 : 0));
  const { labels, rowsInHorizon } = horizonLabels(main.ids, main.times, ids, cutoffMs, horizonEndMs, mask);
  return { labels, rowsInHorizon, rowsAfter: rowsAtOrAfter(main.times, horizonEndMs) };
}

/**
 * The built sequences with static per-customer columns appended to every step (joined on
 * `idColumn`, missing values as the column mean, counted in `filled`), and those values
 * [n, columns.length] row-major; `empty` names the first column with no numeric value for any
 * customer (the sequences are then returned unchanged).
 */
export function withStaticFeatures(built: BuiltSequences, statics: ColumnTable, idColumn: string, columns: readonly string[]): { x: Float32Array; featureNames: string[]; values: Float64Array; filled: number; empty: string | null } {
  const { values, filled, empty } = staticFeatureValues(statics, idColumn, columns, built.ids);
  if (empty !== null) return { x: built.x, featureNames: built.featureNames, values, filled, empty };
  return { x: appendStatic(built.x, built.n, built.steps, built.features, values, columns.length), featureNames: [...built.featureNames, ...columns], values, filled, empty };
}
