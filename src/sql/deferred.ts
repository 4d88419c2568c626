/**
 * A table held back from JS under --engine duckdb: a SQL node's output stays a relation in
 * DuckDB (or, for load's column statistics, a computation not yet run) and crosses into JS
 * only when a node outside SQL, `--out` or a test asks for it. It answers numRows, numCols and
 * columnNames without reading a row, so summaries and SQL nodes downstream never materialise it.
 */
import type { ColumnTable } from 'arquero';
import type { SqlRelation } from './relation.ts';

/** A table read into JS on first demand (see the file header). */
export class DeferredTable {
  private read: Promise<ColumnTable> | undefined;

  constructor(
    /** Row count. */
    private readonly rows: number,
    /** Column names in order. */
    private readonly names: readonly string[],
    /** Reads the table into JS (called at most once). */
    private readonly compute: () => Promise<ColumnTable>,
    /** The DuckDB relation holding the table, when there is one. */
    readonly relation: SqlRelation | null = null,
  ) {}

  /** Number of rows. */
  numRows(): number {
    return this.rows;
  }

  /** Number of columns. */
  numCols(): number {
    return this.names.length;
  }

  /** Column names in order. */
  columnNames(): string[] {
    return [...this.names];
  }

  /** Whether the table has been asked for in JS already (materialise was called). */
  isRead(): boolean {
    return this.read !== undefined;
  }

  /** The table in JS (read once, then shared). */
  materialise(): Promise<ColumnTable> {
    this.read ??= this.compute();
    return this.read;
  }
}

/** Whether a port value is a deferred table. */
export function isDeferred(value: unknown): value is DeferredTable {
  return value instanceof DeferredTable;
}

/** A port value with every deferred table read into JS (other values unchanged). */
export async function materialised(value: unknown): Promise<unknown> {
  return isDeferred(value) ? value.materialise() : value;
}

/** Every port value of a record with deferred tables read into JS. */
export async function materialisedAll(values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) out[key] = await materialised(value);
  return out;
}
