/**
 * Reading a segments port's assignments table (id, segment 1..k, optional segment_name) the way
 * every node that takes segments reads it: the id column is `id` when present, else the first
 * column; ids compare as text (cellKey).
 */
import type { ColumnTable } from 'arquero';
import { cellKey } from './cells.ts';

/** The id column of an assignments table: `id` when present, else the first column. */
export function assignmentIdColumn(t: ColumnTable): string {
  return t.columnNames().includes('id') ? 'id' : (t.columnNames()[0] ?? 'id');
}

/** A customer's segment and its name. */
export interface SegmentOfCustomer {
  /** Segment number (an integer). */
  segment: number;
  /** segment_name, else `segment <n>`. */
  name: string;
}

/** What segmentsByCustomer reads. */
export interface SegmentsByCustomer {
  /** Segment per customer key, for rows with a non-empty id and an integer segment (a repeated id: the last such row). */
  segmentOf: Map<string, SegmentOfCustomer>;
  /** The raw id cell per customer key, first row of each key. */
  rawIds: Map<string, unknown>;
  /** Segment name per segment number (of the customers in segmentOf, the last in its order). */
  names: Map<number, string>;
}

/** Reads the segment of every customer in an assignments table (its id and segment columns must exist); none without a table. */
export function segmentsByCustomer(assignments: ColumnTable | undefined): SegmentsByCustomer {
  if (assignments === undefined) return { segmentOf: new Map(), rawIds: new Map(), names: new Map() };
  const getId = assignments.getter(assignmentIdColumn(assignments));
  const getSeg = assignments.getter('segment');
  const getName = assignments.columnNames().includes('segment_name') ? assignments.getter('segment_name') : null;
  const segmentOf = new Map<string, SegmentOfCustomer>();
  const rawIds = new Map<string, unknown>();
  for (let i = 0; i < assignments.numRows(); i++) {
    const raw: unknown = getId(i);
    const id = cellKey(raw);
    if (!rawIds.has(id)) rawIds.set(id, raw);
    const seg: unknown = getSeg(i);
    if (id === '' || typeof seg !== 'number' || !Number.isInteger(seg)) continue;
    segmentOf.set(id, { segment: seg, name: getName === null ? `segment ${seg}` : cellKey(getName(i)) });
  }
  const names = new Map<number, string>();
  for (const v of segmentOf.values()) names.set(v.segment, v.name);
  return { segmentOf, rawIds, names };
}
