/**
 * Excel's `sep=X` first line: a CSV saved for Excel may start with a line naming its
 * delimiter (`sep=;`). It is not data; the reader uses the named delimiter and skips it.
 */
import type { Delimiter } from './csv.ts';

const named: ReadonlyMap<string, Delimiter> = new Map<string, Delimiter>([
  [',', ','],
  [';', ';'],
  ['\t', '\t'],
  ['|', '|'],
]);

/** The delimiter a leading `sep=X` line names and where the data starts after it, or null when the text has no such line. */
export function excelSeparator(text: string): { delimiter: Delimiter; start: number } | null {
  const m = /^(?:\uFEFF)?sep=(.)(\r\n|\n|\r)/i.exec(text.slice(0, 16));
  const delimiter = m?.[1] === undefined ? undefined : named.get(m[1]);
  return m && delimiter !== undefined ? { delimiter, start: m[0].length } : null;
}
