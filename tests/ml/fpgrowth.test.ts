/**
 * FP-growth itemsets and association rules: exact against a brute-force enumerator on small
 * seeded baskets, and R arules' figures on the Groceries baskets in ../shared/data (skipped,
 * saying why, when that folder is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { associationRules, basketsFromPairs, frequentItemsets, type Baskets, type Itemsets } from '../../src/ml/fpgrowth.ts';
import { DataError } from '../../src/data/issues.ts';
import { createRng } from '../../src/ml/random.ts';

/** Every itemset as "a,b,c" → count. */
function asMap(sets: Itemsets): Map<string, number> {
  const out = new Map<string, number>();
  for (let s = 0; s < sets.size; s++) out.set([...sets.items.subarray(sets.offsets[s], sets.offsets[s + 1])].join(','), sets.counts[s]!);
  return out;
}

/** All item subsets (up to maxLength) with count ≥ minCount, by scanning every basket. */
function bruteForce(baskets: number[][], nItems: number, minCount: number, maxLength: number): Map<string, number> {
  const out = new Map<string, number>();
  const sets = baskets.map((b) => new Set(b));
  for (let mask = 1; mask < 1 << nItems; mask++) {
    const items: number[] = [];
    for (let i = 0; i < nItems; i++) if (mask & (1 << i)) items.push(i);
    if (items.length > maxLength) continue;
    const count = sets.filter((s) => items.every((i) => s.has(i))).length;
    if (count >= minCount) out.set(items.join(','), count);
  }
  return out;
}

function csr(baskets: number[][], nItems: number): Baskets {
  const offsets = [0];
  const items: number[] = [];
  for (const b of baskets) {
    items.push(...b);
    offsets.push(items.length);
  }
  return { offsets: Int32Array.from(offsets), items: Int32Array.from(items), nItems };
}

function randomBaskets(seed: number, n: number, nItems: number, maxSize: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const size = Math.floor(rng.next() * (maxSize + 1));
    // Skewed item choice so some itemsets are long and frequent; repeats on purpose.
    return Array.from({ length: size }, () => Math.floor(nItems * rng.next() ** 2));
  });
}

describe('frequentItemsets', () => {
  it.each([
    [1, 60, 8, 6, 0.05, 10],
    [2, 200, 10, 8, 0.02, 10],
    [3, 40, 12, 12, 0.1, 4],
    [4, 500, 9, 9, 0.3, 10],
    [5, 30, 10, 10, 0.001, 3],
  ])('equals a brute-force enumeration exactly (seed %i, %i baskets, %i items)', (seed, n, nItems, maxSize, minSupport, maxLength) => {
    const baskets = randomBaskets(seed, n, nItems, maxSize);
    const sets = frequentItemsets(csr(baskets, nItems), { minSupport, maxLength });
    const minCount = Math.max(1, Math.ceil(minSupport * n - 1e-9));
    expect(sets.minCount).toBe(minCount);
    const expected = bruteForce(baskets, nItems, minCount, maxLength);
    expect(expected.size).toBeGreaterThan(nItems / 2);
    expect(asMap(sets)).toEqual(expected);
  });

  it('counts an item repeated in a basket once and empty baskets in the denominator', () => {
    const sets = frequentItemsets(csr([[0, 0, 1], [], [1, 1], []], 2), { minSupport: 0.25 });
    expect(sets.baskets).toBe(4);
    expect(asMap(sets)).toEqual(new Map([['0', 1], ['1', 2], ['0,1', 1]]));
  });

  it('stops at the itemset cap with a declared error instead of enumerating on', () => {
    // 20 identical baskets of 20 items have 2^20 − 1 frequent itemsets.
    const baskets = Array.from({ length: 20 }, () => Array.from({ length: 20 }, (_, i) => i));
    const run = () => frequentItemsets(csr(baskets, 20), { minSupport: 0.5, maxLength: 20, maxItemsets: 10_000 });
    expect(run).toThrow(DataError);
    expect(run).toThrow('More than 10000 frequent itemsets at min support 0.5 (count ≥ 10 of 20 baskets); raise min support or lower max length.');
  });

  it('refuses a min support outside (0, 1] naming the option and value', () => {
    expect(() => frequentItemsets(csr([[0]], 1), { minSupport: 0 })).toThrow('Option "minSupport" must be "in (0, 1]"; got 0.');
  });

  it('builds baskets from basket/item pairs in any order', () => {
    const b = basketsFromPairs(Int32Array.from([1, 0, 1, 0]), Int32Array.from([5, 2, 3, 4]), 2, 6);
    expect([...b.offsets]).toEqual([0, 2, 4]);
    expect([...b.items]).toEqual([2, 4, 5, 3]);
  });
});

describe('associationRules', () => {
  it('gives the same rules as computing every measure from brute-force counts', () => {
    const baskets = randomBaskets(7, 300, 8, 7);
    const sets = frequentItemsets(csr(baskets, 8), { minSupport: 0.03 });
    const rules = associationRules(sets, { minConfidence: 0.4, maxConsequent: 2 });
    const counts = bruteForce(baskets, 8, 1, 8);
    const n = baskets.length;
    const expected: string[] = [];
    for (const [key, c] of asMap(sets)) {
      const items = key.split(',').map(Number);
      if (items.length < 2) continue;
      for (let mask = 1; mask < (1 << items.length) - 1; mask++) {
        const y = items.filter((_, i) => mask & (1 << i));
        const x = items.filter((_, i) => !(mask & (1 << i)));
        if (y.length > 2) continue;
        const cx = counts.get(x.join(','))!;
        if (c / cx >= 0.4) expected.push(`${x.join(',')}=>${y.join(',')}`);
      }
    }
    const got: string[] = [];
    for (let r = 0; r < rules.size; r++) {
      const x = [...rules.antecedentItems.subarray(rules.antecedentOffsets[r], rules.antecedentOffsets[r + 1])];
      const y = [...rules.consequentItems.subarray(rules.consequentOffsets[r], rules.consequentOffsets[r + 1])];
      got.push(`${x.join(',')}=>${y.join(',')}`);
      const c = counts.get([...x, ...y].sort((a, b) => a - b).join(','))!;
      const sx = counts.get(x.join(','))! / n;
      const sy = counts.get(y.join(','))! / n;
      expect(rules.counts[r]).toBe(c);
      expect(rules.support[r]).toBeCloseTo(c / n, 12);
      expect(rules.confidence[r]).toBeCloseTo(c / n / sx, 12);
      expect(rules.lift[r]).toBeCloseTo(c / n / sx / sy, 12);
      expect(rules.leverage[r]).toBeCloseTo(c / n - sx * sy, 12);
      const conf = c / n / sx;
      if (conf === 1) expect(rules.conviction[r]).toBe(Number.POSITIVE_INFINITY);
      else expect(rules.conviction[r]).toBeCloseTo((1 - sy) / (1 - conf), 9);
      if (r > 0) expect(rules.lift[r]).toBeLessThanOrEqual(rules.lift[r - 1]!);
    }
    expect(expected.length).toBeGreaterThan(20);
    expect(got.some((g) => g.split('=>')[1]!.includes(','))).toBe(true);
    expect(got.sort()).toEqual(expected.sort());
  });

  it('keeps the best maxRules by lift and says how many were found', () => {
    const sets = frequentItemsets(csr(randomBaskets(8, 200, 8, 6), 8), { minSupport: 0.02 });
    const all = associationRules(sets, { minConfidence: 0.3 });
    const top = associationRules(sets, { minConfidence: 0.3, maxRules: 5 });
    expect(top.size).toBe(5);
    expect(top.found).toBe(all.size);
    expect([...top.lift]).toEqual([...all.lift.subarray(0, 5)]);
  });

  it('gives arules-style {} → {y} rules only when minLength is 1', () => {
    const sets = frequentItemsets(csr([[0, 1], [0], [0, 1], [1]], 2), { minSupport: 0.25 });
    const withEmpty = associationRules(sets, { minConfidence: 0.7, minLength: 1 });
    expect(withEmpty.size).toBe(2);
    expect([...withEmpty.antecedentOffsets]).toEqual([0, 0, 0]);
    expect(associationRules(sets, { minConfidence: 0.7 }).size).toBe(0);
  });
});

const groceriesPath = fileURLToPath(new URL('../../../shared/data/groceries/groceries.csv', import.meta.url));
const groceriesLongPath = fileURLToPath(new URL('../../../shared/data/groceries/groceries_long.csv', import.meta.url));

describe.skipIf(!existsSync(groceriesPath))(`FP-growth on Groceries (${existsSync(groceriesPath) ? groceriesPath : 'skipped: ../shared/data/groceries not found'})`, () => {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (name: string): number => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
    }
    return id;
  };
  // A skipped describe still runs its body to collect tests: read only when the file is there.
  const lines = existsSync(groceriesPath) ? readFileSync(groceriesPath, 'utf8').split(/\r?\n/).filter((l) => l !== '') : [];
  const ragged = csr(lines.map((l) => l.split(',').map(idOf)), 0);
  ragged.nItems = names.length;

  it('has arules\' summary: 9,835 baskets, 169 items, 43,367 occurrences', () => {
    expect([ragged.offsets.length - 1, ragged.nItems, ragged.items.length]).toEqual([9835, 169, 43367]);
  });

  it('finds 13,492 frequent itemsets (lengths 1–6) and 410 rules at support 0.001, confidence 0.8, as arules does', () => {
    const sets = frequentItemsets(ragged, { minSupport: 0.001, maxLength: 10 });
    expect(sets.minCount).toBe(10);
    expect(sets.size).toBe(13492);
    const byLength = new Map<number, number>();
    for (let s = 0; s < sets.size; s++) {
      const l = sets.offsets[s + 1]! - sets.offsets[s]!;
      byLength.set(l, (byLength.get(l) ?? 0) + 1);
    }
    expect([...byLength]).toEqual([[1, 157], [2, 2981], [3, 6831], [4, 3137], [5, 376], [6, 10]]);
    const rules = associationRules(sets, { minConfidence: 0.8, maxConsequent: 1 });
    expect(rules.size).toBe(410);
    const x = [...rules.antecedentItems.subarray(0, rules.antecedentOffsets[1])].map((i) => names[i]).sort();
    const y = [...rules.consequentItems.subarray(0, rules.consequentOffsets[1])].map((i) => names[i]);
    expect({ x, y, count: rules.counts[0] }).toEqual({ x: ['liquor', 'red/blush wine'], y: ['bottled beer'], count: 19 });
    expect(rules.lift[0]).toBeCloseTo(11.235, 3);
    expect(rules.confidence[0]).toBeCloseTo(0.9047619, 6);
    expect(rules.support[0]).toBeCloseTo(0.001931876, 8);
  });

  it('finds the same itemsets from the long basket/item file', () => {
    const rows = readFileSync(groceriesLongPath, 'utf8').split(/\r?\n/).slice(1).filter((l) => l !== '');
    const basket = Int32Array.from(rows, (r) => Number(r.slice(0, r.indexOf(','))) - 1);
    const item = Int32Array.from(rows, (r) => ids.get(r.slice(r.indexOf(',') + 1)) ?? -1);
    const long = basketsFromPairs(basket, item, 9835, names.length);
    const a = frequentItemsets(long, { minSupport: 0.001 });
    expect(asMap(a)).toEqual(asMap(frequentItemsets(ragged, { minSupport: 0.001 })));
  });
});
