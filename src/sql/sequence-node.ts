/**
 * The sequence node under --engine duckdb: the per-customer-period aggregation runs as SQL
 * (src/sql/sequence.ts) and only its aggregates cross into JS, where they become the same
 * BuiltSequences buildSequences returns and the node's own finishSequences checks, labels and
 * completes them (so messages and outputs are the kernel's). A string result is the reason the
 * node runs in the default engine instead.
 */
import { compareIds, periodGrid, PERIODS, AGGREGATIONS, type Aggregation, type BuiltSequences } from '../data/sequences.ts';
import { featureText } from '../data/sequence-tables.ts';
import { isTable } from '../engine/port-codec.ts';
import { finishSequences, type SequenceFinishParams } from '../../nodes/sequence.ts';
import type { SqlRun } from './data-nodes.ts';
import { inputRelation } from './data-nodes.ts';
import { isDeferred } from './deferred.ts';
import { compileSequence } from './sequence.ts';
import type { SqlSession } from './session.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
}

/** An aggregated key as idKey gives it (a number's JS text, text as it is). */
function keyText(value: unknown): string {
  return String(value);
}

/** The SQL run of the sequence node (see the file header). */
export const sequenceSql = (session: SqlSession): SqlRun => async (inputs, params, ctx) => {
  if (inputs.extra !== undefined || inputs.customers !== undefined) return 'a second activity table or a customers table is joined by the default engine';
  if (text(params.countBy) !== '') return 'count-by features are built by the default engine';
  const period = PERIODS.find((p) => p === params.period);
  const labelSource = params.labelSource === 'horizon' ? 'horizon' : params.labelSource === 'none' ? 'none' : null;
  const cutoff = text(params.cutoff);
  const horizonEnd = text(params.horizonEnd);
  const steps = typeof params.steps === 'number' && Number.isInteger(params.steps) && params.steps >= 1 ? params.steps : null;
  if (!period || labelSource === null || steps === null || cutoff === '') return 'the default engine reports these params';
  const cutoffMs = Date.parse(`${cutoff}T00:00:00Z`);
  const horizonEndMs = labelSource === 'horizon' ? Date.parse(`${horizonEnd}T00:00:00Z`) + 86_400_000 : Number.NaN;
  if (labelSource === 'horizon' && (horizonEnd === '' || !(horizonEndMs > cutoffMs))) return 'the default engine reports the horizon';
  const rawValues = typeof params.values === 'object' && params.values !== null && !Array.isArray(params.values) ? Object.entries(params.values) : [];
  const values: { column: string; aggregation: Aggregation }[] = [];
  for (const [column, a] of rawValues) {
    const aggregation = AGGREGATIONS.find((x) => x === a);
    if (!aggregation) return 'the default engine reports the value columns';
    values.push({ column, aggregation });
  }
  const staticColumns = Array.isArray(params.staticColumns) ? params.staticColumns.filter((c): c is string => typeof c === 'string') : [];
  const idColumn = text(params.idColumn);
  const staticIdColumn = text(params.staticIdColumn);
  const staticValue = isDeferred(inputs.static) ? await inputs.static.materialise() : inputs.static;
  const statics = isTable(staticValue) ? staticValue : undefined;
  if (statics && staticColumns.length > 0 && ![staticIdColumn === '' ? idColumn : staticIdColumn, ...staticColumns].every((c) => statics.columnNames().includes(c))) return 'a static column is not in the static table (the default engine reports it)';
  const input = await inputRelation(session, inputs.table);
  if (typeof input === 'string') return input;
  const positiveColumn = labelSource === 'horizon' ? text(params.positiveColumn) : '';
  const compiled = compileSequence(ctx.nodeId, input, { idColumn, timeColumn: text(params.timeColumn), period, steps, countRows: params.countRows !== false, values, cutoffMs, horizonEndMs, positiveColumn });
  if (!compiled.ok) return compiled.reason;
  ctx.progress(0.1, 'aggregating per customer and period in DuckDB');
  for (const statement of compiled.statements) await session.exec(statement);
  const counts = await session.query(compiled.counts);
  const count = (name: string): number => toNumber(counts.columns[counts.names.indexOf(name)]?.[0]);
  const minT = count('min_t');
  const maxT = count('max_t');
  if (!Number.isFinite(minT)) return 'no readable time (the default engine reports it)';
  const universe = (await session.query(compiled.universe)).columns[0] ?? [];
  const ids = universe.map(keyText).sort(compareIds);
  const index = new Map(ids.map((id, i) => [id, i]));
  // The same names and words as the kernel's activitySources give the one activity table.
  const features = [
    ...(params.countRows !== false ? [{ name: 'rows', aggregation: 'count' as const, j: -1, text: featureText({ extra: false, kind: 'rows' }) }] : []),
    ...values.map((v, j) => ({ name: `${v.column}_${v.aggregation}`, aggregation: v.aggregation, j, text: featureText({ extra: false, kind: 'value', column: v.column, aggregation: v.aggregation }) })),
  ];
  const D = features.length;
  const n = ids.length;
  const x = new Float32Array(n * steps * D);
  const activeRows = new Int32Array(n);
  // Per customer-period: its rows, and per value its numbers and their sum in row order (from 0, as the kernel sums).
  const V = values.length;
  const cellRows = new Float64Array(n * steps);
  const cellNumbers = new Float64Array(n * steps * V);
  const cellSums = new Float64Array(n * steps * V);
  const { chunks } = await session.streamRows(compiled.cells);
  for await (const chunk of chunks) {
    const [k = [], s = []] = chunk.columns;
    for (let r = 0; r < chunk.rows; r++) {
      const i = index.get(keyText(k[r]));
      if (i === undefined) continue;
      const cell = i * steps + toNumber(s[r]);
      cellRows[cell] = (cellRows[cell] ?? 0) + 1;
      for (let j = 0; j < V; j++) {
        const v = chunk.columns[2 + j]?.[r];
        if (typeof v !== 'number') continue;
        cellNumbers[cell * V + j] = (cellNumbers[cell * V + j] ?? 0) + 1;
        cellSums[cell * V + j] = (cellSums[cell * V + j] ?? 0) + v;
      }
    }
  }
  for (let cell = 0; cell < n * steps; cell++) {
    const rowCount = cellRows[cell] ?? 0;
    if (rowCount === 0) continue;
    const i = Math.floor(cell / steps);
    activeRows[i] = (activeRows[i] ?? 0) + rowCount;
    const base = cell * D;
    features.forEach((f, d) => {
      if (f.j < 0) x[base + d] = rowCount;
      else {
        const c = cellNumbers[cell * V + f.j] ?? 0;
        const sum = cellSums[cell * V + f.j] ?? 0;
        x[base + d] = f.aggregation === 'count' ? c : f.aggregation === 'sum' ? (c > 0 ? sum : 0) : c > 0 ? sum / c : 0;
      }
    });
  }
  const grid = periodGrid(cutoffMs, period, steps);
  const built: BuiltSequences = {
    x, n, steps, features: D, ids, featureNames: features.map((f) => f.name), stepLabels: grid.labels, grid, activeRows,
    counts: { used: count('used'), beforeWindow: count('before_window'), afterCutoff: count('after_cutoff'), missingId: count('missing_id'), badTime: count('bad_time'), unknownId: 0, badValue: count('bad_value') },
    timeRange: minT <= maxT ? { min: minT, max: maxT } : { min: Number.NaN, max: Number.NaN },
  };
  const labelled = labelSource === 'horizon' ? new Set((await session.query(compiled.positives)).columns[0]?.map(keyText) ?? []) : new Set<string>();
  const labelling = labelSource === 'horizon' ? (list: readonly string[]) => ({ labels: Float32Array.from(list, (id) => (labelled.has(id) ? 1 : 0)), rowsInHorizon: count('rows_in_horizon'), rowsAfter: count('rows_after') }) : null;
  const finishParams: SequenceFinishParams = { idColumn, timeColumn: text(params.timeColumn), cutoff, horizonEnd, period, steps, labelSource, values: Object.fromEntries(values.map((v) => [v.column, v.aggregation])), staticColumns, staticIdColumn, scaling: text(params.scaling) };
  return finishSequences(built, features, labelling, null, statics, finishParams, ctx);
};
