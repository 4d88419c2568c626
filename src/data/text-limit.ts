/**
 * The one size limit left on reading a file: JSON (and GB18030 delimited text) is decoded to
 * one string, and V8 strings hold at most 2^29 - 24 characters. It is decided from the file's
 * name, size and the chosen format and encoding alone, before a byte is read, so the CLI (from
 * a stat) and the page (from File.size) refuse with the figure at once. This module imports no
 * reader, so the page's own bundle stays small.
 */

/** The most bytes a text file read as one string may have (decoding never yields more characters than bytes). */
export const maxTextBytes = 2 ** 29 - 24;

/** Names whose extension says the file is read in pieces whatever its encoding (binary formats, line formats). */
const inPieces = /\.(parquet|arrow|feather|ipc|ndjson|jsonl)$/i;

/**
 * The figures of the refusal when a file of this name and size, read with this format and
 * encoding choice (a load node's `format` and `encoding`; anything else reads as 'auto'),
 * would have to be one string over the limit; null when it can be read.
 */
export function oneStringOver(name: string, size: number, format: unknown, encoding: unknown): { megabytes: number; limit: number } | null {
  if (size <= maxTextBytes) return null;
  const chosen = typeof format === 'string' ? format : 'auto';
  const json = chosen === 'json' || (chosen === 'auto' && /\.json$/i.test(name));
  const delimitedGb18030 = encoding === 'gb18030' && (chosen === 'csv' || chosen === 'tsv' || (chosen === 'auto' && !inPieces.test(name) && !/\.json$/i.test(name)));
  if (!json && !delimitedGb18030) return null;
  return { megabytes: Math.round((size / 1048576) * 10) / 10, limit: Math.round((maxTextBytes / 1048576) * 10) / 10 };
}
