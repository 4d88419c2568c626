/**
 * Dataset fingerprints: the column names and the SHA-256 of the bytes. A stored or shared
 * pipeline remembers the fingerprint of each file it was built on, so reopening needs no
 * re-upload and a different file given by someone else is noticed and named.
 */

/** What identifies a user's file. */
export interface DatasetFingerprint {
  /** File name as the user gave it. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Column names read from the header (CSV/TSV) or the first record (JSON); [] when unknown. */
  columns: string[];
  /** SHA-256 of the bytes, 64 lowercase hex digits. */
  sha256: string;
}

/** SHA-256 of bytes as lowercase hex (Web Crypto: browsers, workers and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest() rejects views over SharedArrayBuffer, so only those are copied (a 1 GB file is not held twice for its hash).
  const view = bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes.slice();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', view));
  let out = '';
  for (const byte of digest) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Splits one delimited header line, honouring double quotes. */
function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

/** Column names of a file from its first bytes: CSV/TSV header, or the keys of the first JSON record. */
export function sniffColumns(name: string, bytes: Uint8Array): string[] {
  const lower = name.toLowerCase();
  // Only the head is decoded: a header line longer than 64 KB is not a header we can use.
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 65_536)).replace(/^\uFEFF/, '');
  if (lower.endsWith('.json')) {
    const match = /^\s*\[\s*(\{[^{}]*\})/.exec(head);
    if (!match?.[1]) return [];
    try {
      const first: unknown = JSON.parse(match[1]);
      return typeof first === 'object' && first !== null && !Array.isArray(first) ? Object.keys(first) : [];
    } catch {
      return [];
    }
  }
  if (!(lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt'))) return [];
  const newline = head.search(/\r?\n/);
  if (newline < 0 && head.length === 65_536) return [];
  const line = newline < 0 ? head : head.slice(0, newline);
  if (line.trim() === '') return [];
  const delimiter = lower.endsWith('.tsv') || (line.includes('\t') && !line.includes(',')) ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',';
  return splitHeader(line, delimiter);
}

/** Fingerprints a file: name, size, columns and SHA-256. */
export async function fingerprintFile(name: string, bytes: Uint8Array): Promise<DatasetFingerprint> {
  return { name, size: bytes.length, columns: sniffColumns(name, bytes), sha256: await sha256Hex(bytes) };
}

/** The string the engine keys a bound file by (changes whenever the bytes change). */
export function fingerprintKey(fp: Pick<DatasetFingerprint, 'sha256'>): string {
  return `sha256:${fp.sha256}`;
}

/** One way a given file differs from the one a pipeline was built on. */
export type FingerprintDifference =
  | { kind: 'missing' | 'extra'; columns: string[] }
  | { kind: 'size'; actual: number; expected: number }
  | { kind: 'content'; actual: string; expected: string };

/**
 * What differs between an expected fingerprint and the one of a file given instead (missing
 * and extra columns, size, then the content hash); [] when the bytes are identical. The
 * studio words each in the page's language.
 */
export function fingerprintDifferences(expected: DatasetFingerprint, actual: DatasetFingerprint): FingerprintDifference[] {
  if (expected.sha256 === actual.sha256) return [];
  const out: FingerprintDifference[] = [];
  const missing = expected.columns.filter((c) => !actual.columns.includes(c));
  const extra = actual.columns.filter((c) => !expected.columns.includes(c));
  if (missing.length > 0) out.push({ kind: 'missing', columns: missing });
  if (extra.length > 0) out.push({ kind: 'extra', columns: extra });
  if (expected.size !== actual.size) out.push({ kind: 'size', actual: actual.size, expected: expected.size });
  out.push({ kind: 'content', actual: actual.sha256, expected: expected.sha256 });
  return out;
}
