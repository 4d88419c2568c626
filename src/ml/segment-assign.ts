/**
 * Assigning new customers to fitted segments: reads a segment transform back (checked) and
 * puts each row at the nearest centroid in the scaled space the segments were fitted in
 * (log step x → ln(1 + x / m) where the column was log-scaled, then (x − centre) / scale).
 */
import type { ColumnTable } from 'arquero';
import { requireColumns } from '../data/columns.ts';
import { numericValues } from '../data/cells.ts';
import type { JsonObject, JsonValue } from '../engine/ports.ts';
import type { SegmentSpace } from './segment-fit.ts';

/** What a segment transform holds, checked. */
export interface SegmentModel {
  /** Feature columns, in order. */
  columns: string[];
  /** Per column: the mean m of a log-scaled column (x → ln(1 + x / m)), or 0 when not log-scaled. */
  logMean: number[];
  /** Subtracted from each feature before dividing by `scale`. */
  centre: number[];
  /** Divides each centred feature. */
  scale: number[];
  /** Centroids in the scaled space, segment 1 first. */
  centroids: number[][];
  /** Segment names, segment 1 first. */
  names: string[];
}

function listOf<T extends JsonValue>(v: JsonValue | undefined, is: (x: JsonValue) => x is T): T[] | null {
  if (!Array.isArray(v)) return null;
  const out: T[] = [];
  for (const x of v) {
    if (!is(x)) return null;
    out.push(x);
  }
  return out;
}

function numberList(v: JsonValue | undefined): number[] | null {
  return listOf(v, (x): x is number => typeof x === 'number');
}

function stringList(v: JsonValue | undefined): string[] | null {
  return listOf(v, (x): x is string => typeof x === 'string');
}

/** Reads a segment transform back, or explains what is wrong with it. */
export function readSegmentTransform(transform: { kind: string; params: JsonObject }): SegmentModel {
  if (transform.kind !== 'segment') throw new Error(`Expected a segment transform; got ${JSON.stringify(transform.kind)}.`);
  const q = transform.params;
  const columnsList = stringList(q.columns);
  const logMean = numberList(q.logMean);
  const centre = numberList(q.centre);
  const scale = numberList(q.scale);
  const names = stringList(q.names);
  const rawCentroids = q.centroids;
  const centroids: number[][] = [];
  if (Array.isArray(rawCentroids)) {
    for (const row of rawCentroids) {
      const r = numberList(row);
      if (r === null) break;
      centroids.push(r);
    }
  }
  if (columnsList === null || logMean === null || centre === null || scale === null || names === null || !Array.isArray(rawCentroids) || centroids.length !== rawCentroids.length) {
    throw new Error('The segment transform is malformed (columns, logMean, centre, scale, centroids and names are required).');
  }
  const d = columnsList.length;
  if (logMean.length !== d || centre.length !== d || scale.length !== d || centroids.some((c) => c.length !== d) || names.length !== centroids.length) {
    throw new Error('The segment transform is malformed (its arrays disagree in length).');
  }
  return { columns: columnsList, logMean, centre, scale, centroids, names };
}

/**
 * A segment transform's params, as readSegmentTransform reads them back: the id column, the
 * clustered columns, the space's log means, centres and scales, the centroids in segment order
 * (segment s is the model's centroid order[s]) and the names.
 */
export function segmentTransformParams(idColumn: string, columns: readonly string[], space: Pick<SegmentSpace, 'logMean' | 'centre' | 'scale'>, centroids: Float64Array, order: ArrayLike<number>, names: readonly string[]): JsonObject {
  const d = columns.length;
  return {
    idColumn,
    columns: [...columns],
    logMean: Array.from(space.logMean),
    centre: Array.from(space.centre),
    scale: Array.from(space.scale),
    centroids: Array.from(order, (c) => Array.from(centroids.subarray(c * d, c * d + d))),
    names: [...names],
  };
}

/**
 * The nearest centroid (0-based) of each row; `columns` holds the model's columns in order.
 * Throws when a row has a missing or non-numeric feature (its distance is not finite).
 */
export function nearestSegments(model: SegmentModel, columns: readonly ArrayLike<number>[], n: number): Int32Array {
  const d = model.columns.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    model.centroids.forEach((c, s) => {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const v = columns[j]![i]!;
        const m = model.logMean[j]!;
        // A value below 0 in a log-scaled column is outside what was fitted; it gives NaN and is refused below.
        const t = m > 0 ? Math.log1p(v / m) : v;
        dist += ((t - model.centre[j]!) / model.scale[j]! - c[j]!) ** 2;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = s;
      }
    });
    if (!Number.isFinite(bestDist)) throw new Error(`Row ${i + 1} has a missing or non-numeric feature; it cannot be assigned.`);
    out[i] = best;
  }
  return out;
}

/**
 * Assigns rows (new customers) to the nearest centroid of a fitted segment transform; returns
 * 1-based segments and their names. Rows must hold the transform's columns as finite numbers.
 */
export function assignSegments(transform: { kind: string; params: JsonObject }, rows: ColumnTable): { segment: Int32Array; name: string[] } {
  const model = readSegmentTransform(transform);
  requireColumns(rows, model.columns, 'columns');
  const nearest = nearestSegments(model, model.columns.map((c) => numericValues(rows, c)), rows.numRows());
  return { segment: Int32Array.from(nearest, (s) => s + 1), name: Array.from(nearest, (s) => model.names[s] ?? '') };
}
