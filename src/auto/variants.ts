/**
 * Rewrites of a simulator transactions file into formats the guided start must read: renamed
 * columns (Chinese or other English names), other date formats, another delimiter and GBK
 * bytes. Used by the `auto` tests and bench; plain text in, bytes out.
 */

/** How to rewrite a comma-separated file with a header. */
export interface Variant {
  /** New name per old column name (unlisted columns keep theirs; null drops the column). */
  rename: Record<string, string | null>;
  /** Column whose `YYYY-MM-DD HH:MM:SS` cells are rewritten, and the form. */
  date?: { column: string; form: 'dd/mm/yyyy' | 'mm/dd/yyyy hh:mm' | 'yyyy/mm/dd' };
  /** Output delimiter. */
  delimiter: ',' | ';' | '\t' | '|';
  /** Output encoding. */
  encoding: 'utf-8' | 'gbk';
}

let gbkTable: Map<string, number[]> | null = null;

/** Encodes text as GBK (two-byte GB18030 codes; ASCII as is), via the decoder's own table. */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\uFFFD' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new RangeError(`encodeGbk: ${JSON.stringify(ch)} has no GBK code.`);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}

function rewriteDate(cell: string, form: NonNullable<Variant['date']>['form']): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?/.exec(cell);
  if (!m) return cell;
  const [, y, mo, d, h = '00', mi = '00'] = m;
  switch (form) {
    case 'dd/mm/yyyy':
      return `${d}/${mo}/${y}`;
    case 'mm/dd/yyyy hh:mm':
      return `${mo}/${d}/${y} ${h}:${mi}`;
    case 'yyyy/mm/dd':
      return `${y}/${mo}/${d}`;
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** Rewrites a simple comma-separated text (no quoted commas) as the variant says. */
export function rewriteCsv(text: string, variant: Variant): Uint8Array {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = (lines[0] ?? '').split(',');
  const keep = header.map((name) => variant.rename[name] !== null);
  const dateIndex = variant.date ? header.indexOf(variant.date.column) : -1;
  const out = lines.map((line, r) => {
    const cells = r === 0 ? header.map((name) => variant.rename[name] ?? name) : line.split(',');
    if (r > 0 && dateIndex >= 0 && variant.date) cells[dateIndex] = rewriteDate(cells[dateIndex] ?? '', variant.date.form);
    return cells.filter((_, c) => keep[c]).join(variant.delimiter);
  });
  const joined = `${out.join('\n')}\n`;
  return variant.encoding === 'gbk' ? encodeGbk(joined) : new TextEncoder().encode(joined);
}
