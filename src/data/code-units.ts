/**
 * Text as the scanning kernels (numbers, dates, the CSV tokenizer) read it: a string, or the
 * bytes of an ASCII-compatible encoding (UTF-8, Windows-1252). In such bytes every ASCII
 * character is one byte equal to its code, and no byte of a non-ASCII character is below
 * 0x80 (in UTF-8) or stands for an ASCII one, so a grammar of ASCII characters — digits,
 * signs, separators, delimiters, quotes, line breaks — reads bytes and characters alike.
 */

/** A string, or bytes of ASCII-compatible text (see the file header). */
export type CodeUnits = string | Uint8Array;

/** The code at `i`: a UTF-16 unit of a string or a byte; NaN past the end (as `charCodeAt`). */
export function codeAt(src: CodeUnits, i: number): number {
  return typeof src === 'string' ? src.charCodeAt(i) : (src[i] ?? Number.NaN);
}

/** The range `[start, end)` as a string, for a range already checked to be ASCII (bytes are read one character each). */
export function asciiText(src: CodeUnits, start: number, end: number): string {
  if (typeof src === 'string') return src.slice(start, end);
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(src[i] ?? 0);
  return out;
}
