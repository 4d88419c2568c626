/**
 * What the SQL compilers share: a relation (a view or table in DuckDB, with its columns when
 * known), a compiled step (SQL statements that create the node's output relations) or the
 * reason a node cannot be compiled exactly (the node then stays in the default engine).
 * Every relation carries the row-order column ROW_COLUMN, so that "row order as declared"
 * survives set-based SQL; it is dropped when a relation leaves DuckDB.
 */

/** The column that carries each row's position (1-based) through every relation. */
export const ROW_COLUMN = '__insight_row';

/** SQL types the compilers handle; TIMESTAMP_MS is a DOUBLE holding epoch milliseconds (a JS Date's getTime()). */
export type SqlType = 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP_MS';

/** The DuckDB column type that stores a SqlType. */
export function storedType(type: SqlType): string {
  return type === 'VARCHAR' ? 'VARCHAR' : 'DOUBLE';
}

/** One column of a relation. */
export interface SqlColumn {
  /** Name as in the studio's table. */
  name: string;
  /** DuckDB type. */
  type: SqlType;
}

/** A relation in the database: a quoted name and, when known, its columns (ROW_COLUMN excluded). */
export interface SqlRelation {
  /** Unquoted relation name. */
  name: string;
  /** Columns in order; null when the schema is not known (an export without its input file). */
  columns: readonly SqlColumn[] | null;
}

/** A compiled node: statements creating one relation per output table port, in order. */
export interface SqlStep {
  ok: true;
  /** CREATE VIEW / CREATE TABLE statements, each complete. */
  statements: string[];
  /** Output table port → relation. */
  outputs: Record<string, SqlRelation>;
  /** By purpose: helper relations of one row (fitted statistics, counts) or a query over them. */
  stats: Record<string, string>;
}

/** A node that cannot be compiled exactly, and why. */
export interface SqlUnsupported {
  ok: false;
  /** One sentence a person can act on. */
  reason: string;
}

/** Result of compiling a node. */
export type SqlCompiled = SqlStep | SqlUnsupported;

/** Shorthand for an unsupported result. */
export function unsupported(reason: string): SqlUnsupported {
  return { ok: false, reason };
}
