/**
 * Sorting, filtering and searching a table for display: a pure kernel over column arrays that
 * returns the row order to show. User text is only ever compared as text (never compiled).
 */

/** A condition on one column. */
export type ColumnFilter =
  | {
      /** Column name. */
      column: string;
      /** Cells whose text contains `text` (case-insensitive). */
      op: 'contains';
      /** Text to look for. */
      text: string;
    }
  | {
      /** Column name. */
      column: string;
      /** Cells whose text is exactly one of `values`. */
      op: 'in';
      /** Accepted cell texts. */
      values: string[];
    }
  | {
      /** Column name. */
      column: string;
      /** Numeric cells within [min, max] (either bound may be null). */
      op: 'range';
      /** Lower bound, inclusive. */
      min: number | null;
      /** Upper bound, inclusive. */
      max: number | null;
    };

/** What to show of a table: a search over every column, column filters, and a sort. */
export interface TableQuery {
  /** Text searched in every cell (case-insensitive); empty means no search. */
  search?: string;
  /** Conditions, all of which a row must meet. */
  filters?: ColumnFilter[];
  /** Sort column and direction; rows keep their order among equals. */
  sort?: { column: string; descending: boolean } | null;
}

/** Columns by name, each an array-like of cell values of equal length. */
export type ColumnArrays = ReadonlyMap<string, ArrayLike<unknown>>;

/** The text a cell is searched and matched by. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A sortable key: numbers and dates as numbers, everything else as text; missing is null. */
function sortKey(value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return cellText(value);
}

/** Message naming the unknown column of a query, or null when every named column exists. */
export function queryProblem(columns: ColumnArrays, query: TableQuery): string | null {
  for (const f of query.filters ?? []) if (!columns.has(f.column)) return `Filter column ${JSON.stringify(f.column)} is not in the table (columns: ${[...columns.keys()].join(', ')}).`;
  if (query.sort && !columns.has(query.sort.column)) return `Sort column ${JSON.stringify(query.sort.column)} is not in the table (columns: ${[...columns.keys()].join(', ')}).`;
  return null;
}

/**
 * The row indices to show, in order: rows meeting every filter and the search, sorted by
 * the sort column (missing values last in either direction; ties keep table order).
 * Throws an Error naming the column when the query names one the table lacks.
 */
export function queryRows(columns: ColumnArrays, rowCount: number, query: TableQuery): Uint32Array {
  const problem = queryProblem(columns, query);
  if (problem) throw new Error(problem);
  const keep: number[] = [];
  const needle = (query.search ?? '').trim().toLowerCase();
  const all = [...columns.values()];
  const tests = (query.filters ?? []).map((f) => {
    const values = columns.get(f.column) ?? [];
    switch (f.op) {
      case 'contains': {
        const text = f.text.toLowerCase();
        return (r: number): boolean => cellText(values[r]).toLowerCase().includes(text);
      }
      case 'in': {
        const accepted = new Set(f.values);
        return (r: number): boolean => accepted.has(cellText(values[r]));
      }
      case 'range':
        return (r: number): boolean => {
          const v = values[r];
          if (typeof v !== 'number' || !Number.isFinite(v)) return false;
          return (f.min === null || v >= f.min) && (f.max === null || v <= f.max);
        };
      default: {
        const never: never = f;
        throw new Error(`Unknown filter ${JSON.stringify(never)}`);
      }
    }
  });
  for (let r = 0; r < rowCount; r++) {
    if (!tests.every((t) => t(r))) continue;
    if (needle && !all.some((col) => cellText(col[r]).toLowerCase().includes(needle))) continue;
    keep.push(r);
  }
  const sort = query.sort;
  if (sort) {
    const values = columns.get(sort.column) ?? [];
    const keys = new Map<number, number | string | null>();
    for (const r of keep) keys.set(r, sortKey(values[r]));
    const sign = sort.descending ? -1 : 1;
    keep.sort((a, b) => {
      const ka = keys.get(a) ?? null;
      const kb = keys.get(b) ?? null;
      if (ka === null || kb === null) return ka === null ? (kb === null ? a - b : 1) : -1;
      if (typeof ka === 'number' && typeof kb === 'number') return sign * (ka - kb) || a - b;
      const c = String(ka).localeCompare(String(kb), undefined, { numeric: true });
      return sign * c || a - b;
    });
  }
  return Uint32Array.from(keep);
}

/**
 * An evenly spread sample of at most `limit` of `order`'s rows (all of them when there are
 * fewer), keeping their order: for charts of a large table.
 */
export function spreadSample(order: ArrayLike<number>, limit: number): number[] {
  const n = order.length;
  if (n <= limit) return Array.from(order);
  const out: number[] = [];
  for (let i = 0; i < limit; i++) out.push(order[Math.floor((i * n) / limit)] ?? 0);
  return out;
}
