/**
 * Where the table component gets its rows: a table port in the worker (queried there, so the
 * page never holds the whole table) or a small table already in the page (metrics, profiles).
 */
import type { JsonValue } from '../../engine/ports.ts';
import type { QueriedRows } from '../../engine/service.ts';
import { queryRows, type TableQuery } from '../../data/table-query.ts';
import type { EngineClient } from '../engine-client.ts';

/** Rows for the table component. */
export interface TableSource {
  /** Changes when the rows may have changed (the component then reloads). */
  key: string;
  /** Base of export file names. */
  name: string;
  /** A window of the rows matching `query`. */
  load(query: TableQuery, offset: number, limit: number): Promise<QueriedRows>;
}

/** A table port of a node, queried in the worker. */
export function portSource(engine: EngineClient, nodeId: string, port: string, serial: number): TableSource {
  return {
    key: `${nodeId}.${port}#${serial}`,
    name: `${nodeId}.${port}`,
    load: (query, offset, limit) => engine.queryPreview(nodeId, port, query, offset, limit),
  };
}

/** A table already in the page. */
export function localSource(name: string, columns: readonly string[], rows: readonly (readonly JsonValue[])[]): TableSource {
  const arrays = new Map(columns.map((c, i) => [c, rows.map((r) => r[i] ?? null)]));
  return {
    key: `local:${name}:${columns.join(',')}:${rows.length}`,
    name,
    load: async (query, offset, limit) => {
      const order = queryRows(arrays, rows.length, query);
      const window = Array.from(order.subarray(offset, offset + limit), (r) => columns.map((_, i) => rows[r]?.[i] ?? null));
      return { columns: [...columns], rows: window, totalRows: order.length, tableRows: rows.length, offset };
    },
  };
}

/** The broad type of each column from the first non-null cell of `rows` ('empty' when none). */
export function columnTypes(columns: readonly string[], rows: readonly (readonly JsonValue[])[]): string[] {
  return columns.map((_, c) => {
    for (const row of rows) {
      const v = row[c];
      if (v !== null && v !== undefined) return Array.isArray(v) ? 'object' : typeof v;
    }
    return 'empty';
  });
}
