/**
 * Anonymising columns: salted SHA-256 of chosen personal columns (WebCrypto, so the same code
 * runs in the browser and in Node 20), and ages generalised to bands.
 *
 * Hash: hex(SHA-256(UTF-8(salt) ‖ 0x00 ‖ UTF-8(cell text))), optionally cut to its first
 * `hexChars` characters. The same value always maps to the same hash under one salt, so joins
 * and counts still work; without the salt the mapping cannot be rebuilt by hashing guesses.
 * The salt is a parameter of the pipeline document: it stays in the project (and in anything
 * the project is exported or shared as) and is never sent anywhere by this code.
 */
import { deriveSeed } from '../ml/random.ts';
import { isMissing, readNumbers, type Values } from './columns.ts';
import { DataError, errorTemplate, warningTemplate, type KernelMessages } from './issues.ts';

/** Messages of anonymising (an anonymise node declares them all). */
export const anonymiseMessages = {
  notNumericAge: errorTemplate('Column {column} in parameter "ageColumn" must hold numbers (ages); it holds values such as {example}.'),
  negativeAges: warningTemplate('Column {column}: {count} ages below 0 (such as {example}) are not ages and became missing.'),
  noCrypto: errorTemplate('This environment has no WebCrypto (crypto.subtle), which hashing needs.'),
} satisfies KernelMessages;

const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer, chars: number): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length && out.length < chars; i++) out += bytes[i]!.toString(16).padStart(2, '0');
  return out.slice(0, chars);
}

/** The text a cell is hashed as: strings as they are, numbers in shortest form, dates in ISO. */
export function hashInput(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : String(value);
}

/** Salted SHA-256 of one text, as hex cut to `hexChars` (see the file header). */
export async function saltedSha256(salt: string, text: string, hexChars = 64): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new DataError(anonymiseMessages, 'noCrypto');
  const saltBytes = encoder.encode(salt);
  const textBytes = encoder.encode(text);
  const input = new Uint8Array(saltBytes.length + 1 + textBytes.length);
  input.set(saltBytes, 0);
  input[saltBytes.length] = 0;
  input.set(textBytes, saltBytes.length + 1);
  return hex(await subtle.digest('SHA-256', input), hexChars);
}

/**
 * Hashes every present cell of a column (missing stays missing). Each distinct value is hashed
 * once; digests run in batches so a large column does not queue a million promises at once.
 */
export async function hashColumn(values: Values, salt: string, hexChars = 64, checkpoint: () => void = () => undefined): Promise<(string | null)[]> {
  const distinct = new Map<string, string>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!isMissing(v)) distinct.set(hashInput(v), '');
  }
  const keys = [...distinct.keys()];
  const batch = 512;
  for (let start = 0; start < keys.length; start += batch) {
    const slice = keys.slice(start, start + batch);
    const digests = await Promise.all(slice.map((key) => saltedSha256(salt, key, hexChars)));
    slice.forEach((key, k) => distinct.set(key, digests[k] ?? ''));
    checkpoint();
  }
  const out: (string | null)[] = new Array<string | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = isMissing(v) ? null : (distinct.get(hashInput(v)) ?? null);
  }
  return out;
}

/** A reproducible salt from the pipeline seed and the node id (64 hex characters). */
export function reproducibleSalt(seed: number, label: string): string {
  let out = '';
  for (let k = 0; k < 8; k++) out += deriveSeed(seed, `${label}#salt${k}`).toString(16).padStart(8, '0');
  return out;
}

/**
 * Generalises ages to bands of `width` years labelled `30-39` (for width 10); ages at or above
 * `topCode` (when > 0) share the band `90+`. Fractional ages fall in the band of their floor.
 */
export function ageBands(values: Values, column: string, width: number, topCode: number): { values: (string | null)[]; negative: number; negativeExample: number | null } {
  const read = readNumbers(values);
  if (read.nonNumeric > 0) throw new DataError(anonymiseMessages, 'notNumericAge', { column, example: String(read.nonNumericExample) }, 'ageColumn');
  const out: (string | null)[] = new Array<string | null>(values.length);
  let negative = 0;
  let negativeExample: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const age = read.values[i]!;
    if (age !== age) {
      out[i] = null;
      continue;
    }
    if (age < 0) {
      negative++;
      negativeExample ??= age;
      out[i] = null;
      continue;
    }
    if (topCode > 0 && age >= topCode) {
      out[i] = `${topCode}+`;
      continue;
    }
    const low = Math.floor(Math.floor(age) / width) * width;
    const high = low + width - 1;
    out[i] = width === 1 ? String(low) : `${low}-${topCode > 0 ? Math.min(high, topCode - 1) : high}`;
  }
  return { values: out, negative, negativeExample };
}
