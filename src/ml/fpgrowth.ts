/**
 * Frequent itemsets by FP-growth (Han, Pei & Yin 2000) and association rules from them — exact:
 * every itemset whose count reaches the minimum is found, with its exact count.
 *
 * Baskets are a CSR of integer item ids (0..nItems−1); an item repeated in a basket counts once.
 * Support is count / baskets (empty baskets count in the denominator), as R's arules computes it;
 * an itemset is frequent when count ≥ ⌈minSupport · baskets⌉ (with a 1e−9 allowance for rounding).
 *
 * Trees live in typed arrays. Every (conditional) tree is built from its paths sorted
 * lexicographically, so a new path shares exactly its longest common prefix with the previous
 * one and no child lookup is needed; a tree that is a single path yields its combinations
 * directly. Items are ordered by descending count (ties: lower id), most frequent nearest the root.
 *
 * Rules X → Y come from every frequent itemset X ∪ Y: support = count(X ∪ Y)/N, confidence =
 * count(X ∪ Y)/count(X), lift = confidence / support(Y), leverage = support(X ∪ Y) − support(X)·
 * support(Y), conviction = (1 − support(Y)) / (1 − confidence) (Infinity when confidence is 1).
 * Consequents grow one item at a time and stop growing once confidence fails, which is exact:
 * moving an item from X to Y never raises the confidence.
 *
 * The number of itemsets is capped (`maxItemsets`): past it mining stops with a declared error
 * instead of exhausting memory.
 */
import { DataError, errorTemplate, type KernelMessages } from '../data/issues.ts';

/** Messages of the itemset and rule kernels. */
export const fpgrowthMessages: KernelMessages = {
  itemsetCap: errorTemplate('More than {cap} frequent itemsets at min support {minSupport} (count ≥ {minCount} of {baskets} baskets); raise min support or lower max length.'),
  badOption: errorTemplate('Option {option} must be {expected}; got {value}.'),
};

/** Baskets as a CSR: basket b holds items[offsets[b] .. offsets[b+1]). */
export interface Baskets {
  /** Start of each basket in `items`, length baskets + 1. */
  offsets: Int32Array;
  /** Item ids, 0..nItems−1. */
  items: Int32Array;
  /** Number of distinct item ids. */
  nItems: number;
}

/** Options for frequentItemsets. */
export interface ItemsetOptions {
  /** Smallest support, count / baskets, in (0, 1]. */
  minSupport: number;
  /** Longest itemset, 1..30. Default 10 (arules' maxlen). */
  maxLength?: number;
  /** Most itemsets before mining stops with the itemsetCap error. Default 1,000,000. */
  maxItemsets?: number;
  /** Called now and then (e.g. to cancel by throwing). */
  checkpoint?: () => void;
}

/** Frequent itemsets, flattened: itemset s holds items[offsets[s] .. offsets[s+1]), ascending ids. */
export interface Itemsets {
  /** Start of each itemset in `items`, length size + 1. */
  offsets: Int32Array;
  /** Item ids, ascending within an itemset. */
  items: Int32Array;
  /** Baskets containing each itemset. */
  counts: Int32Array;
  /** Number of itemsets. */
  size: number;
  /** Number of baskets (the support denominator). */
  baskets: number;
  /** The count threshold used, ⌈minSupport · baskets⌉ (at least 1). */
  minCount: number;
}

/** Options for associationRules. */
export interface RuleOptions {
  /** Smallest confidence in [0, 1]. */
  minConfidence: number;
  /** Most items on the right, ≥ 1. Default 1. */
  maxConsequent?: number;
  /** Fewest items in antecedent + consequent; 1 also gives rules {} → Y (arules' minlen = 1). Default 2. */
  minLength?: number;
  /** Keep only the best this many rules (by lift, then confidence, support); 0 = all. Default 0. */
  maxRules?: number;
}

/** Association rules, flattened, sorted by lift (ties: confidence, support, then items). */
export interface Rules {
  /** Start of each antecedent in `antecedentItems`, length size + 1. */
  antecedentOffsets: Int32Array;
  /** Antecedent item ids, ascending within a rule. */
  antecedentItems: Int32Array;
  /** Start of each consequent in `consequentItems`, length size + 1. */
  consequentOffsets: Int32Array;
  /** Consequent item ids, ascending within a rule. */
  consequentItems: Int32Array;
  /** Baskets containing antecedent ∪ consequent. */
  counts: Int32Array;
  /** count / baskets. */
  support: Float64Array;
  /** count / count(antecedent). */
  confidence: Float64Array;
  /** confidence / support(consequent). */
  lift: Float64Array;
  /** support − support(antecedent) · support(consequent). */
  leverage: Float64Array;
  /** (1 − support(consequent)) / (1 − confidence); Infinity when confidence is 1. */
  conviction: Float64Array;
  /** Number of rules. */
  size: number;
  /** Rules found before `maxRules` kept the best. */
  found: number;
}

/** A growable Int32Array. */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(need: number): void {
    let cap = this.data.length;
    while (cap < need) cap *= 2;
    const next = new Int32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** An FP-tree over local item ids 0..k−1 (ascending id = descending count); node 0 is the root. */
interface FpTree {
  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  /** Next node holding the same item. */
  link: Int32Array;
  size: number;
  /** First node of each local item, −1 when none. */
  head: Int32Array;
  /** Count of each local item in the tree. */
  itemCount: Int32Array;
  /** Original item id of each local item. */
  original: Int32Array;
  /** Whether the tree is one chain from the root. */
  singlePath: boolean;
}

/**
 * Builds a tree from weighted paths (each ascending local ids): sorts them lexicographically,
 * then each path reuses the nodes of its common prefix with the previous one.
 */
function buildTree(pathItems: Int32Array, pathOffsets: Int32Array, weights: Int32Array, k: number, original: Int32Array): FpTree {
  const nPaths = weights.length;
  const order = new Int32Array(nPaths);
  for (let p = 0; p < nPaths; p++) order[p] = p;
  order.sort((a, b) => {
    let i = pathOffsets[a]!;
    const ie = pathOffsets[a + 1]!;
    let j = pathOffsets[b]!;
    const je = pathOffsets[b + 1]!;
    for (; i < ie && j < je; i++, j++) {
      const d = pathItems[i]! - pathItems[j]!;
      if (d !== 0) return d;
    }
    return ie - i - (je - j);
  });
  const capacity = pathItems.length + 1;
  const item = new Int32Array(capacity);
  const count = new Int32Array(capacity);
  const parent = new Int32Array(capacity);
  const link = new Int32Array(capacity);
  const head = new Int32Array(k).fill(-1);
  const itemCount = new Int32Array(k);
  item[0] = -1;
  parent[0] = -1;
  let size = 1;
  let singlePath = true;
  // stack[d] = node at depth d + 1 on the previous path.
  let stack = new Int32Array(16);
  let prevStart = 0;
  let prevLength = 0;
  for (let q = 0; q < nPaths; q++) {
    const p = order[q]!;
    const start = pathOffsets[p]!;
    const length = pathOffsets[p + 1]! - start;
    const w = weights[p]!;
    if (length > stack.length) {
      const next = new Int32Array(Math.max(length, stack.length * 2));
      next.set(stack);
      stack = next;
    }
    let l = 0;
    while (l < length && l < prevLength && pathItems[start + l] === pathItems[prevStart + l]) l++;
    if (l < prevLength && l < length) singlePath = false;
    for (let d = 0; d < l; d++) count[stack[d]!]! += w;
    for (let d = l; d < length; d++) {
      const it = pathItems[start + d]!;
      const node = size++;
      item[node] = it;
      count[node] = w;
      parent[node] = d === 0 ? 0 : stack[d - 1]!;
      link[node] = head[it]!;
      head[it] = node;
      stack[d] = node;
    }
    for (let d = 0; d < length; d++) itemCount[pathItems[start + d]!]! += w;
    // A longer path after a shorter one keeps the chain; keep the longer as "previous".
    if (length >= l) {
      prevStart = start;
      prevLength = length;
    }
  }
  return { item, count, parent, link, size, head, itemCount, original, singlePath };
}

/** Frequent itemsets of the baskets with support ≥ minSupport and at most maxLength items. */
export function frequentItemsets(baskets: Baskets, options: ItemsetOptions): Itemsets {
  const { offsets, items, nItems } = baskets;
  const n = offsets.length - 1;
  const { minSupport } = options;
  const maxLength = options.maxLength ?? 10;
  const maxItemsets = options.maxItemsets ?? 1_000_000;
  if (!(minSupport > 0 && minSupport <= 1)) throw new DataError(fpgrowthMessages, 'badOption', { option: 'minSupport', expected: 'in (0, 1]', value: minSupport });
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 30) throw new DataError(fpgrowthMessages, 'badOption', { option: 'maxLength', expected: 'an integer in 1..30', value: maxLength });
  if (!Number.isInteger(maxItemsets) || maxItemsets < 1) throw new DataError(fpgrowthMessages, 'badOption', { option: 'maxItemsets', expected: 'an integer ≥ 1', value: maxItemsets });
  if (n < 0 || offsets[0] !== 0 || offsets[n] !== items.length) throw new DataError(fpgrowthMessages, 'badOption', { option: 'offsets', expected: 'a CSR from 0 to items.length', value: `${offsets[0]}..${offsets[n]}` });
  const minCount = Math.max(1, Math.ceil(minSupport * n - 1e-9));
  const checkpoint = options.checkpoint;

  // Item counts, each item once per basket.
  const seen = new Int32Array(nItems).fill(-1);
  const itemTotals = new Int32Array(nItems);
  for (let b = 0; b < n; b++) {
    for (let k = offsets[b]!; k < offsets[b + 1]!; k++) {
      const it = items[k]!;
      if (!(it >= 0 && it < nItems) || !Number.isInteger(it)) throw new DataError(fpgrowthMessages, 'badOption', { option: 'items', expected: `ids in 0..${nItems - 1}`, value: it });
      if (seen[it] !== b) {
        seen[it] = b;
        itemTotals[it]!++;
      }
    }
  }
  const frequent: number[] = [];
  for (let it = 0; it < nItems; it++) if (itemTotals[it]! >= minCount) frequent.push(it);
  frequent.sort((a, b) => itemTotals[b]! - itemTotals[a]! || a - b);
  const rank = new Int32Array(nItems).fill(-1);
  frequent.forEach((it, r) => (rank[it] = r));
  const k0 = frequent.length;

  // Paths of the global tree: each basket's frequent items by ascending rank.
  const pathOffsets = new Int32Array(n + 1);
  const pathItemsBuffer = new IntBuffer(items.length);
  seen.fill(-1);
  for (let b = 0; b < n; b++) {
    const start = pathItemsBuffer.length;
    for (let k = offsets[b]!; k < offsets[b + 1]!; k++) {
      const r = rank[items[k]!]!;
      if (r >= 0 && seen[r] !== b) {
        seen[r] = b;
        pathItemsBuffer.push(r);
      }
    }
    pathItemsBuffer.data.subarray(start, pathItemsBuffer.length).sort();
    pathOffsets[b + 1] = pathItemsBuffer.length;
  }
  const weights = new Int32Array(n).fill(1);
  const tree = buildTree(pathItemsBuffer.data.subarray(0, pathItemsBuffer.length), pathOffsets, weights, k0, Int32Array.from(frequent));

  const outItems = new IntBuffer();
  const outOffsets = new IntBuffer();
  const outCounts = new IntBuffer();
  outOffsets.push(0);
  const prefix = new Int32Array(maxLength);
  let emitted = 0;
  const emit = (length: number, countValue: number): void => {
    if (++emitted > maxItemsets) {
      throw new DataError(fpgrowthMessages, 'itemsetCap', { cap: maxItemsets, minSupport, minCount, baskets: n });
    }
    for (let d = 0; d < length; d++) outItems.push(prefix[d]!);
    outOffsets.push(outItems.length);
    outCounts.push(countValue);
    if ((emitted & 0xffff) === 0) checkpoint?.();
  };
  // Per-depth scratch for conditional counts and id maps, sized to the global item count.
  const scratchCounts: Int32Array[] = [];
  const scratchIds: Int32Array[] = [];
  for (let d = 0; d < maxLength; d++) {
    scratchCounts.push(new Int32Array(k0));
    scratchIds.push(new Int32Array(k0));
  }

  const mineSinglePath = (t: FpTree, depth: number): void => {
    // Nodes 1..size−1 form one chain; choose any non-empty subset, count = deepest chosen.
    const chain = t.size - 1;
    const room = maxLength - depth;
    const pick = (from: number, chosen: number): void => {
      for (let i = from; i < chain; i++) {
        const node = i + 1;
        prefix[depth + chosen] = t.original[t.item[node]!]!;
        emit(depth + chosen + 1, t.count[node]!);
        if (chosen + 1 < room) pick(i + 1, chosen + 1);
      }
    };
    pick(0, 0);
  };

  const mine = (t: FpTree, depth: number): void => {
    if (t.singlePath) {
      mineSinglePath(t, depth);
      return;
    }
    const k = t.head.length;
    for (let j = k - 1; j >= 0; j--) {
      const support = t.itemCount[j]!;
      if (support < minCount) continue;
      prefix[depth] = t.original[j]!;
      emit(depth + 1, support);
      if (depth + 1 >= maxLength || j === 0) continue;
      const cnt = scratchCounts[depth]!;
      const ids = scratchIds[depth]!;
      cnt.fill(0, 0, j);
      let nodes = 0;
      for (let node = t.head[j]!; node !== -1; node = t.link[node]!) {
        const w = t.count[node]!;
        nodes++;
        for (let a = t.parent[node]!; a > 0; a = t.parent[a]!) cnt[t.item[a]!]! += w;
      }
      let kc = 0;
      for (let i = 0; i < j; i++) ids[i] = cnt[i]! >= minCount ? kc++ : -1;
      if (kc === 0) continue;
      const original = new Int32Array(kc);
      for (let i = 0; i < j; i++) if (ids[i]! >= 0) original[ids[i]!] = t.original[i]!;
      const condOffsets = new Int32Array(nodes + 1);
      const condWeights = new Int32Array(nodes);
      const condItems = new IntBuffer(nodes * 2);
      let p = 0;
      for (let node = t.head[j]!; node !== -1; node = t.link[node]!) {
        const start = condItems.length;
        for (let a = t.parent[node]!; a > 0; a = t.parent[a]!) {
          const id = ids[t.item[a]!]!;
          if (id >= 0) condItems.push(id);
        }
        // Collected leaf to root (descending ids); the tree wants ascending.
        condItems.data.subarray(start, condItems.length).reverse();
        condWeights[p] = t.count[node]!;
        condOffsets[++p] = condItems.length;
      }
      const cond = buildTree(condItems.data.subarray(0, condItems.length), condOffsets, condWeights, kc, original);
      mine(cond, depth + 1);
    }
  };
  if (k0 > 0) mine(tree, 0);

  return sortItemsets(outOffsets.view(), outItems.view(), outCounts.view(), n, minCount);
}

/** Sorts each itemset's items ascending and the itemsets by length, then items. */
function sortItemsets(offsets: Int32Array, items: Int32Array, counts: Int32Array, baskets: number, minCount: number): Itemsets {
  const size = counts.length;
  for (let s = 0; s < size; s++) items.subarray(offsets[s]!, offsets[s + 1]!).sort();
  const order = new Int32Array(size);
  for (let s = 0; s < size; s++) order[s] = s;
  order.sort((a, b) => compareSets(items, offsets[a]!, offsets[a + 1]!, items, offsets[b]!, offsets[b + 1]!));
  const outOffsets = new Int32Array(size + 1);
  const outItems = new Int32Array(items.length);
  const outCounts = new Int32Array(size);
  let at = 0;
  for (let q = 0; q < size; q++) {
    const s = order[q]!;
    outItems.set(items.subarray(offsets[s]!, offsets[s + 1]!), at);
    at += offsets[s + 1]! - offsets[s]!;
    outOffsets[q + 1] = at;
    outCounts[q] = counts[s]!;
  }
  return { offsets: outOffsets, items: outItems, counts: outCounts, size, baskets, minCount };
}

/** Orders item sets by length, then lexicographically. */
function compareSets(a: Int32Array, as: number, ae: number, b: Int32Array, bs: number, be: number): number {
  const d = ae - as - (be - bs);
  if (d !== 0) return d;
  for (let i = as, j = bs; i < ae; i++, j++) {
    const e = a[i]! - b[j]!;
    if (e !== 0) return e;
  }
  return 0;
}

/** Open-addressing index from an item set (ascending ids) to its itemset number. */
export class ItemsetIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Indexes the itemsets. */
  constructor(private readonly sets: Itemsets) {
    let cap = 16;
    while (cap < sets.size * 2) cap *= 2;
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let s = 0; s < sets.size; s++) {
      let h = hashSet(sets.items, sets.offsets[s]!, sets.offsets[s + 1]!) & this.mask;
      while (this.table[h] !== -1) h = (h + 1) & this.mask;
      this.table[h] = s;
    }
  }
  /** The itemset number of items[start..end), −1 when it is not frequent. */
  find(items: Int32Array, start: number, end: number): number {
    const { offsets, items: all } = this.sets;
    let h = hashSet(items, start, end) & this.mask;
    for (;;) {
      const s = this.table[h]!;
      if (s === -1) return -1;
      if (compareSets(all, offsets[s]!, offsets[s + 1]!, items, start, end) === 0) return s;
      h = (h + 1) & this.mask;
    }
  }
}

function hashSet(items: Int32Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ items[i]!, 0x01000193) ^ (h >>> 15);
  return h >>> 0;
}

/** Association rules from frequent itemsets (which must be closed under subsets, as frequentItemsets gives). */
export function associationRules(sets: Itemsets, options: RuleOptions): Rules {
  const { minConfidence } = options;
  const maxConsequent = options.maxConsequent ?? 1;
  const minLength = options.minLength ?? 2;
  const maxRules = options.maxRules ?? 0;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new DataError(fpgrowthMessages, 'badOption', { option: 'minConfidence', expected: 'in [0, 1]', value: minConfidence });
  if (!Number.isInteger(maxConsequent) || maxConsequent < 1) throw new DataError(fpgrowthMessages, 'badOption', { option: 'maxConsequent', expected: 'an integer ≥ 1', value: maxConsequent });
  if (!Number.isInteger(minLength) || minLength < 1) throw new DataError(fpgrowthMessages, 'badOption', { option: 'minLength', expected: 'an integer ≥ 1', value: minLength });
  if (!Number.isInteger(maxRules) || maxRules < 0) throw new DataError(fpgrowthMessages, 'badOption', { option: 'maxRules', expected: 'an integer ≥ 0', value: maxRules });
  const index = new ItemsetIndex(sets);
  const N = sets.baskets;
  const setOf = new IntBuffer();
  const consequentMask = new IntBuffer(); // bit mask of the consequent positions within the itemset
  const antecedentCount = new IntBuffer();
  const consequentCount = new IntBuffer();
  const scratch = new Int32Array(32);
  const scratchY = new Int32Array(32);
  const countOf = (items: Int32Array, length: number): number => {
    if (length === 0) return N;
    const s = index.find(items, 0, length);
    if (s < 0) throw new Error('associationRules: itemsets are not closed under subsets');
    return sets.counts[s]!;
  };
  for (let s = 0; s < sets.size; s++) {
    const start = sets.offsets[s]!;
    const len = sets.offsets[s + 1]! - start;
    if (len < minLength) continue;
    const whole = sets.counts[s]!;
    // Grow consequents by position (ascending), stopping where confidence fails.
    const grow = (from: number, mask: number, size: number): void => {
      for (let i = from; i < len; i++) {
        const m = mask | (1 << i);
        const ySize = size + 1;
        // An empty antecedent only when minLength is 1 (arules' {} → Y).
        if (ySize === len && minLength > 1) continue;
        let xa = 0;
        let ya = 0;
        for (let q = 0; q < len; q++) {
          if (m & (1 << q)) scratchY[ya++] = sets.items[start + q]!;
          else scratch[xa++] = sets.items[start + q]!;
        }
        const cx = countOf(scratch, xa);
        if (whole / cx < minConfidence - 1e-12) continue;
        setOf.push(s);
        consequentMask.push(m);
        antecedentCount.push(cx);
        consequentCount.push(countOf(scratchY, ya));
        if (ySize < maxConsequent && ySize < len) grow(i + 1, m, ySize);
      }
    };
    grow(0, 0, 0);
  }
  const found = setOf.length;
  const lift = new Float64Array(found);
  const confidence = new Float64Array(found);
  const support = new Float64Array(found);
  for (let r = 0; r < found; r++) {
    const c = sets.counts[setOf.data[r]!]!;
    support[r] = c / N;
    confidence[r] = c / antecedentCount.data[r]!;
    lift[r] = confidence[r]! / (consequentCount.data[r]! / N);
  }
  const order = Array.from({ length: found }, (_, r) => r);
  order.sort((a, b) => lift[b]! - lift[a]! || confidence[b]! - confidence[a]! || support[b]! - support[a]! || setOf.data[a]! - setOf.data[b]! || consequentMask.data[a]! - consequentMask.data[b]!);
  const size = maxRules > 0 ? Math.min(maxRules, found) : found;
  const out: Rules = {
    antecedentOffsets: new Int32Array(size + 1),
    antecedentItems: new Int32Array(0),
    consequentOffsets: new Int32Array(size + 1),
    consequentItems: new Int32Array(0),
    counts: new Int32Array(size),
    support: new Float64Array(size),
    confidence: new Float64Array(size),
    lift: new Float64Array(size),
    leverage: new Float64Array(size),
    conviction: new Float64Array(size),
    size,
    found,
  };
  const xs = new IntBuffer();
  const ys = new IntBuffer();
  for (let q = 0; q < size; q++) {
    const r = order[q]!;
    const s = setOf.data[r]!;
    const m = consequentMask.data[r]!;
    const start = sets.offsets[s]!;
    const len = sets.offsets[s + 1]! - start;
    for (let i = 0; i < len; i++) (m & (1 << i) ? ys : xs).push(sets.items[start + i]!);
    out.antecedentOffsets[q + 1] = xs.length;
    out.consequentOffsets[q + 1] = ys.length;
    const c = sets.counts[s]!;
    const sx = antecedentCount.data[r]! / N;
    const sy = consequentCount.data[r]! / N;
    out.counts[q] = c;
    out.support[q] = support[r]!;
    out.confidence[q] = confidence[r]!;
    out.lift[q] = lift[r]!;
    out.leverage[q] = c / N - sx * sy;
    // Confidence is exactly 1 when the counts are equal; then no counter-example exists.
    out.conviction[q] = c === antecedentCount.data[r]! ? Number.POSITIVE_INFINITY : (1 - sy) / (1 - confidence[r]!);
  }
  out.antecedentItems = xs.view();
  out.consequentItems = ys.view();
  return out;
}

/** Baskets from parallel basket and item id arrays (one row per basket/item pair, any order). */
export function basketsFromPairs(basketIds: Int32Array, itemIds: Int32Array, nBaskets: number, nItems: number): Baskets {
  const offsets = new Int32Array(nBaskets + 1);
  for (let k = 0; k < basketIds.length; k++) offsets[basketIds[k]! + 1]!++;
  for (let b = 0; b < nBaskets; b++) offsets[b + 1]! += offsets[b]!;
  const fill = offsets.slice(0, nBaskets);
  const items = new Int32Array(basketIds.length);
  for (let k = 0; k < basketIds.length; k++) items[fill[basketIds[k]!]!++] = itemIds[k]!;
  return { offsets, items, nItems };
}
