/**
 * Quoting for DuckDB SQL. User text (column names, values) reaches SQL only through these:
 * identifiers in double quotes with every double quote doubled, string literals in single
 * quotes with every single quote doubled (DuckDB strings have no backslash escapes), numbers
 * as the string of their shortest round-trip decimal cast to DOUBLE (so no digit is lost to a
 * DECIMAL literal). Text holding a NUL character is refused: DuckDB cannot store it.
 */

/** Thrown when a value cannot be written as SQL (NUL in text, a non-finite number). */
export class SqlQuoteError extends Error {}

/** A quoted identifier: "name" with every " doubled. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new SqlQuoteError(`The name ${JSON.stringify(name)} holds a NUL character, which SQL cannot name.`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** A quoted string literal: 'text' with every ' doubled. */
export function quoteString(text: string): string {
  if (text.includes('\0')) throw new SqlQuoteError(`The text ${JSON.stringify(text)} holds a NUL character, which DuckDB cannot store.`);
  return `'${text.replaceAll("'", "''")}'`;
}

/** A finite number as an exact DOUBLE literal: CAST('x' AS DOUBLE). */
export function quoteNumber(value: number): string {
  if (!Number.isFinite(value)) throw new SqlQuoteError(`The number ${String(value)} is not finite; SQL literals here are finite.`);
  return `CAST('${Object.is(value, -0) ? '-0.0' : String(value)}' AS DOUBLE)`;
}
