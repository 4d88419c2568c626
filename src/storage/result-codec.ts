/**
 * Node outputs ↔ a structured-clonable form that IndexedDB can store, so results that took
 * long to compute (a trained LSTM and its predictions) come back after a reload without
 * running again. Arquero tables become their columns; typed arrays, plain objects, arrays,
 * numbers, strings and dates pass through. Runs in the worker (Arquero lives there).
 */
import { ColumnTable, table } from 'arquero';
import type { NodeStatus } from '../engine/runner.ts';

/** A node's result as it crosses from the worker to IndexedDB and back. */
export interface StoredResult {
  /** Node id. */
  nodeId: string;
  /** The engine's cache hash of the node when the outputs were computed. */
  hash: string;
  /** The node's status then (duration, summary, warnings). */
  status: NodeStatus;
  /** Encoded outputs (see `encodeOutputs`). */
  outputs: Record<string, unknown>;
}

/** A table in stored form. */
export interface StoredTable {
  /** Marker. */
  $insightTable: 1;
  /** Column names in order. */
  names: string[];
  /** One array per column, rows in the table's order (filters applied). */
  columns: unknown[];
}

/** Why an output cannot be stored. */
export class NotStorableError extends Error {
  override name = 'NotStorableError';
}

const typedConstructors = [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array] as const;

function columnArray(t: ColumnTable, name: string): unknown {
  const raw: unknown = t.column(name);
  for (const C of typedConstructors) if (raw instanceof C) return t.array(name, C);
  return t.array(name);
}

/** Encodes a value for IndexedDB (throws NotStorableError for functions, symbols, class instances). */
export function encodeValue(value: unknown, depth = 0): unknown {
  if (depth > 32) throw new NotStorableError('The value is nested too deeply to store.');
  if (value === null || value === undefined) return value;
  const type = typeof value;
  if (type === 'number' || type === 'string' || type === 'boolean' || type === 'bigint') return value;
  if (type === 'function' || type === 'symbol') throw new NotStorableError(`A ${type} cannot be stored.`);
  if (value instanceof ColumnTable) {
    const names = value.columnNames();
    const stored: StoredTable = { $insightTable: 1, names, columns: names.map((n) => columnArray(value, n)) };
    return stored;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => encodeValue(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new NotStorableError(`An instance of ${value.constructor.name} cannot be stored.`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v, depth + 1);
    return out;
  }
  throw new NotStorableError(`A ${type} cannot be stored.`);
}

function isStoredTable(value: object): value is StoredTable {
  return '$insightTable' in value && 'names' in value && 'columns' in value && Array.isArray(value.names) && Array.isArray(value.columns);
}

/** Decodes a value stored by `encodeValue`. */
export function decodeValue(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, depth + 1));
  if (isStoredTable(value)) {
    const columns: Record<string, unknown> = {};
    value.names.forEach((name, i) => {
      columns[String(name)] = value.columns[i];
    });
    return table(columns);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = decodeValue(v, depth + 1);
  return out;
}

/** Encodes a node's outputs (a record of port values). */
export function encodeOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [port, v] of Object.entries(outputs)) out[port] = encodeValue(v);
  return out;
}

/** Decodes a node's outputs. */
export function decodeOutputs(stored: unknown): Record<string, unknown> {
  const decoded = decodeValue(stored);
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return {};
  return { ...decoded };
}

/** Encodes keepable results; results that cannot be stored are left out (they will be recomputed). */
export function encodeResults(results: readonly { nodeId: string; hash: string; status: NodeStatus; outputs: Record<string, unknown> }[]): StoredResult[] {
  const out: StoredResult[] = [];
  for (const r of results) {
    try {
      out.push({ nodeId: r.nodeId, hash: r.hash, status: r.status, outputs: encodeOutputs(r.outputs) });
    } catch (err) {
      if (!(err instanceof NotStorableError)) throw err;
    }
  }
  return out;
}

/** Decodes stored results back to live outputs. */
export function decodeResults(results: readonly StoredResult[]): { nodeId: string; hash: string; status: NodeStatus; outputs: Record<string, unknown> }[] {
  return results.map((r) => ({ nodeId: r.nodeId, hash: r.hash, status: r.status, outputs: decodeOutputs(r.outputs) }));
}
