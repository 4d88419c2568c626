/**
 * Exact duplicate rows: the first occurrence of every distinct row is kept. Two cells are equal
 * when they are the same value (===), both missing (null, undefined, NaN, an invalid Date), or
 * Dates of the same instant; two rows are equal when every cell is.
 *
 * Two passes, so that text is looked up only where it can matter:
 *   1. every row gets a 32-bit hash of its cells that hash without a lookup (numbers and dates
 *      by their bits, booleans, missing); text and other values count as one placeholder. Rows
 *      whose hash no other row shares cannot equal any row and are kept without more work;
 *   2. the rest (the candidates: exact duplicates and the rare hash collisions) extend their
 *      hash with a per-column code of the other values, and are found in an open-addressing
 *      table where equal hashes are confirmed cell by cell, so a collision never drops a row.
 * A table of text only makes every row a candidate: the second pass then does all the work.
 */
import { isMissing, type Values } from './columns.ts';

const hashView = new Float64Array(1);
const hashBits = new Uint32Array(hashView.buffer);

/** One murmur3 round: mixes a 32-bit word into a running hash. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: spreads a hash's bits before it picks a slot. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// The words a cell contributes: missing is (0, 0), like the number 0 (a collision only, confirmed later).
const TRUE_WORD = 0x2545f491;
const FALSE_WORD = 0x4f6cdd1d;
const SKIP = -1;

/**
 * Mixes one column into every row's hash (pass 1). Returns true when some cell is neither a
 * number, a date, a boolean nor missing: the column then takes part in pass 2.
 */
function hashColumn(values: Values, hash: Int32Array, rowCount: number): boolean {
  if (values instanceof Float64Array) {
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < rowCount; i++) {
      const x = values[i]!;
      // NaN means missing; 0 and −0 are equal.
      if (x !== x || x === 0) hash[i] = mix(mix(hash[i]!, 0), 0);
      else hash[i] = mix(mix(hash[i]!, bits[2 * i]!), bits[2 * i + 1]!);
    }
    return false;
  }
  let other = false;
  let previous: unknown = undefined;
  let previousLo = 0;
  let previousHi = 0;
  for (let i = 0; i < rowCount; i++) {
    const v = values[i];
    let lo: number;
    let hi: number;
    if (v === previous && i > 0) {
      // Runs of one value (an invoice's lines) skip the work.
      lo = previousLo;
      hi = previousHi;
    } else {
      if (typeof v === 'number' || v instanceof Date) {
        const x = typeof v === 'number' ? v : v.getTime();
        if (x !== x || x === 0) {
          lo = 0;
          hi = 0;
        } else {
          hashView[0] = x;
          lo = hashBits[0]!;
          hi = hashBits[1]!;
        }
      } else if (v === null || v === undefined) {
        lo = 0;
        hi = 0;
      } else if (typeof v === 'boolean') {
        lo = v ? TRUE_WORD : FALSE_WORD;
        hi = lo;
      } else {
        // Text and other values add nothing here (equal rows still hash alike); pass 2 codes them.
        other = true;
        lo = SKIP;
        hi = SKIP;
      }
      previous = v;
      previousLo = lo;
      previousHi = hi;
    }
    if (lo !== SKIP) hash[i] = mix(mix(hash[i]!, lo), hi);
  }
  return other;
}

/** Mixes a per-column code of every non-missing value into the candidates' hashes (pass 2). */
function codeColumn(values: Values, rows: Int32Array, hash: Int32Array): void {
  const codes = new Map<unknown, number>();
  let previous: unknown = undefined;
  let previousCode = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]!];
    let code: number;
    if (v === previous && k > 0) code = previousCode;
    else {
      if (isMissing(v)) code = 0;
      else {
        const key = v instanceof Date ? v.getTime() : v;
        const known = codes.get(key);
        if (known === undefined) {
          code = codes.size + 1;
          codes.set(key, code);
        } else code = known;
      }
      previous = v;
      previousCode = code;
    }
    hash[k] = mix(hash[k]!, code);
  }
}

/**
 * Marks every row whose hash another row shares; returns how many. Rows are first split by
 * the top bits of their hash into parts of about 4,096, so that each part's open-addressing
 * table stays in the cache: one table over a million rows misses it on almost every probe.
 */
function markSharedHashes(hash: Int32Array, candidate: Uint8Array): number {
  const n = hash.length;
  let bits = 0;
  while (bits < 12 && n >>> (bits + 12) > 0) bits++;
  const parts = 1 << bits;
  const shift = 32 - bits;
  const starts = new Int32Array(parts + 1);
  if (bits === 0) starts[1] = n;
  else for (let i = 0; i < n; i++) starts[(finish(hash[i]!) >>> shift) + 1]!++;
  for (let p = 0; p < parts; p++) starts[p + 1]! += starts[p]!;
  // Each part's rows in row order, with their spread hash beside them.
  const partRows = new Int32Array(n);
  const partHash = new Int32Array(n);
  const next = starts.slice(0, parts);
  for (let i = 0; i < n; i++) {
    const f = finish(hash[i]!);
    const p = bits > 0 ? f >>> shift : 0;
    const at = next[p]!++;
    partRows[at] = i;
    partHash[at] = f;
  }
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, starts[p + 1]! - starts[p]!);
  const size = tableSize(largest);
  const mask = size - 1;
  // Slot s holds (row + 1, hash) at 2s and 2s + 1; 0 = empty.
  const slots = new Int32Array(2 * size);
  let count = 0;
  for (let p = 0; p < parts; p++) {
    const from = starts[p]!;
    const to = starts[p + 1]!;
    if (to - from < 2) continue;
    slots.fill(0);
    for (let at = from; at < to; at++) {
      const f = partHash[at]!;
      const i = partRows[at]!;
      let slot = f & mask;
      for (;;) {
        const r = slots[2 * slot]!;
        if (r === 0) {
          slots[2 * slot] = i + 1;
          slots[2 * slot + 1] = f;
          break;
        }
        if (slots[2 * slot + 1] === f) {
          const j = r - 1;
          if (candidate[j] === 0) {
            candidate[j] = 1;
            count++;
          }
          candidate[i] = 1;
          count++;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  return count;
}

function tableSize(count: number): number {
  let size = 16;
  while (size < count * 2) size *= 2;
  return size;
}

/** Marks the first occurrence of every distinct row (1) and later copies (0); see the file header. */
export function firstOccurrences(columns: readonly Values[], rowCount: number): Uint8Array {
  const keep = new Uint8Array(rowCount);
  if (rowCount === 0) return keep;
  // Pass 1: hash what hashes directly; mark rows that share their hash with another row.
  const hash = new Int32Array(rowCount).fill(0x9e3779b9 | 0);
  const coded: Values[] = [];
  for (const values of columns) if (hashColumn(values, hash, rowCount)) coded.push(values);
  const candidate = new Uint8Array(rowCount);
  const candidates = markSharedHashes(hash, candidate);
  for (let i = 0; i < rowCount; i++) keep[i] = candidate[i]! ^ 1;
  if (candidates === 0) return keep;

  // Pass 2: the candidates, in row order, with every column in their hash, confirmed cell by cell.
  const rows = new Int32Array(candidates);
  const hash2 = new Int32Array(candidates);
  for (let i = 0, k = 0; i < rowCount; i++) {
    if (candidate[i] === 0) continue;
    rows[k] = i;
    hash2[k++] = hash[i]!;
  }
  for (const values of coded) codeColumn(values, rows, hash2);
  const size = tableSize(candidates);
  const mask = size - 1;
  const slots = new Int32Array(size);
  for (let k = 0; k < candidates; k++) {
    const h = hash2[k]!;
    const i = rows[k]!;
    let slot = finish(h) & mask;
    let duplicate = false;
    for (;;) {
      const s = slots[slot]!;
      if (s === 0) break;
      if (hash2[s - 1] === h && sameRow(columns, i, rows[s - 1]!)) {
        duplicate = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (duplicate) continue;
    slots[slot] = k + 1;
    keep[i] = 1;
  }
  return keep;
}

function sameCell(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isMissing(a) && isMissing(b)) return true;
  return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
}

function sameRow(columns: readonly Values[], i: number, j: number): boolean {
  for (const values of columns) if (!sameCell(values[i], values[j])) return false;
  return true;
}
