/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2): each feature's Shapley value of one tree's
 * output, where a feature outside the coalition is integrated out by following both children
 * in proportion to their training cover. O(leaves · depth²) per row and tree. For an ensemble
 * the values add up tree by tree; each row's values sum to its raw output minus the expected
 * output (the cover-weighted mean leaf value). `conditionalExpectation` is the definition the
 * algorithm computes (Algorithm 1), used to check it by brute force.
 */

/** A binary tree in arrays, node 0 the root (the shape src/ml/gbdt.ts writes). */
export interface ShapTree {
  /** Feature split on, −1 at leaves. */
  feature: ArrayLike<number>;
  /** A row goes left when its value ≤ threshold. */
  threshold: ArrayLike<number>;
  /** 1 where a missing value (NaN) goes left. */
  missingLeft: ArrayLike<number>;
  /** Left child, −1 at leaves. */
  left: ArrayLike<number>;
  /** Right child, −1 at leaves. */
  right: ArrayLike<number>;
  /** Output at leaves. */
  value: ArrayLike<number>;
  /** Training cover (rows or hessian sum) of every node. */
  cover: ArrayLike<number>;
}

/** The child a row's value follows at an internal node. */
function follows(tree: ShapTree, node: number, x: ArrayLike<number>): number {
  const v = x[tree.feature[node] ?? 0] ?? NaN;
  const goLeft = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= (tree.threshold[node] ?? 0);
  return (goLeft ? tree.left[node] : tree.right[node]) ?? -1;
}

function isLeaf(tree: ShapTree, node: number): boolean {
  return (tree.left[node] ?? -1) < 0;
}

/** The tree's output for one row. */
export function treeOutput(tree: ShapTree, x: ArrayLike<number>): number {
  let node = 0;
  while (!isLeaf(tree, node)) node = follows(tree, node, x);
  return tree.value[node] ?? 0;
}

/** The cover-weighted mean leaf value: the output expected when no feature is known. */
export function expectedOutput(tree: ShapTree): number {
  return conditionalExpectation(tree, [], new Set());
}

/** E[f(x) | x_S] under the tree's cover: features in S follow x, others split by cover. */
export function conditionalExpectation(tree: ShapTree, x: ArrayLike<number>, known: ReadonlySet<number>, node = 0): number {
  if (isLeaf(tree, node)) return tree.value[node] ?? 0;
  const feature = tree.feature[node] ?? 0;
  if (known.has(feature)) return conditionalExpectation(tree, x, known, follows(tree, node, x));
  const l = tree.left[node] ?? 0;
  const r = tree.right[node] ?? 0;
  const w = tree.cover[node] ?? 0;
  if (!(w > 0)) return 0;
  return ((tree.cover[l] ?? 0) * conditionalExpectation(tree, x, known, l) + (tree.cover[r] ?? 0) * conditionalExpectation(tree, x, known, r)) / w;
}

/**
 * The unique paths of the recursion, one segment per level laid end to end as in the
 * reference implementation: level k's path starts where level k − 1's ends, so extending a
 * path copies it forward once and never allocates.
 */
export class ShapScratch {
  feature = new Int32Array(0);
  zero = new Float64Array(0);
  one = new Float64Array(0);
  weight = new Float64Array(0);

  /** Ensures room for a tree of the given depth. */
  reserve(depth: number): void {
    const size = ((depth + 2) * (depth + 3)) / 2;
    if (this.feature.length >= size) return;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

/** The depth of a tree (edges on its longest root-to-leaf path). */
export function treeDepth(tree: ShapTree, node = 0): number {
  return isLeaf(tree, node) ? 0 : 1 + Math.max(treeDepth(tree, tree.left[node] ?? 0), treeDepth(tree, tree.right[node] ?? 0));
}

/** Appends (feature, zero, one) at position `depth` of the path starting at `at` and updates the weights. */
function extend(s: ShapScratch, at: number, depth: number, zero: number, one: number, feature: number): void {
  const w = s.weight;
  s.feature[at + depth] = feature;
  s.zero[at + depth] = zero;
  s.one[at + depth] = one;
  w[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    const wi = w[at + i] ?? 0;
    w[at + i + 1] = (w[at + i + 1] ?? 0) + (one * wi * (i + 1)) / (depth + 1);
    w[at + i] = (zero * wi * (depth - i)) / (depth + 1);
  }
}

/** Removes element `index` from the path of length depth + 1 starting at `at`. */
function unwind(s: ShapScratch, at: number, depth: number, index: number): void {
  const w = s.weight;
  const one = s.one[at + index] ?? 0;
  const zero = s.zero[at + index] ?? 0;
  let next = w[at + depth] ?? 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const t = w[at + i] ?? 0;
      const wi = (next * (depth + 1)) / ((i + 1) * one);
      w[at + i] = wi;
      next = t - (wi * zero * (depth - i)) / (depth + 1);
    } else {
      w[at + i] = ((w[at + i] ?? 0) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    s.feature[at + i] = s.feature[at + i + 1] ?? 0;
    s.zero[at + i] = s.zero[at + i + 1] ?? 0;
    s.one[at + i] = s.one[at + i + 1] ?? 0;
  }
}

/** The total permutation weight of the path with element `index` unwound, without changing it. */
function unwoundSum(s: ShapScratch, at: number, depth: number, index: number): number {
  const w = s.weight;
  const one = s.one[at + index] ?? 0;
  const zero = s.zero[at + index] ?? 0;
  let next = w[at + depth] ?? 0;
  let total = 0;
  if (one !== 0) {
    for (let i = depth - 1; i >= 0; i--) {
      const t = next / ((i + 1) * one);
      total += t;
      next = (w[at + i] ?? 0) - t * zero * (depth - i);
    }
    return total * (depth + 1);
  }
  for (let i = depth - 1; i >= 0; i--) total += (w[at + i] ?? 0) / (depth - i);
  return (total * (depth + 1)) / zero;
}

function recurse(tree: ShapTree, x: ArrayLike<number>, phi: Float64Array, s: ShapScratch, node: number, parentAt: number, depth: number, zero: number, one: number, feature: number): void {
  // This level's path starts after the parent's (depth elements) and copies it.
  const at = parentAt + depth;
  if (depth > 0) {
    s.feature.copyWithin(at, parentAt, parentAt + depth);
    s.zero.copyWithin(at, parentAt, parentAt + depth);
    s.one.copyWithin(at, parentAt, parentAt + depth);
    s.weight.copyWithin(at, parentAt, parentAt + depth);
  }
  extend(s, at, depth, zero, one, feature);
  const left = tree.left[node] ?? -1;
  if (left < 0) {
    const v = tree.value[node] ?? 0;
    for (let i = 1; i <= depth; i++) {
      const f = s.feature[at + i] ?? 0;
      phi[f] = (phi[f] ?? 0) + unwoundSum(s, at, depth, i) * ((s.one[at + i] ?? 0) - (s.zero[at + i] ?? 0)) * v;
    }
    return;
  }
  const right = tree.right[node] ?? -1;
  const split = tree.feature[node] ?? 0;
  const hot = follows(tree, node, x);
  const cold = hot === left ? right : left;
  const w = tree.cover[node] ?? 0;
  const hotZero = w > 0 ? (tree.cover[hot] ?? 0) / w : 0;
  const coldZero = w > 0 ? (tree.cover[cold] ?? 0) / w : 0;
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  let k = 0;
  while (k <= d && s.feature[at + k] !== split) k++;
  if (k <= d) {
    inZero = s.zero[at + k] ?? 0;
    inOne = s.one[at + k] ?? 0;
    unwind(s, at, d, k);
    d -= 1;
  }
  recurse(tree, x, phi, s, hot, at, d + 1, hotZero * inZero, inOne, split);
  recurse(tree, x, phi, s, cold, at, d + 1, coldZero * inZero, 0, split);
}

/**
 * Adds one row's Shapley values of one tree to `phi` (one entry per feature). `depth` is the
 * tree's depth when known (saves a walk); `scratch` reuses buffers across rows and trees.
 */
export function treeShap(tree: ShapTree, x: ArrayLike<number>, phi: Float64Array, scratch = new ShapScratch(), depth = treeDepth(tree)): void {
  scratch.reserve(depth);
  recurse(tree, x, phi, scratch, 0, 0, 0, 1, 1, -1);
}

/** Unique path features above which a tree falls back to the recursive algorithm (tables of 2^d). */
const TABLE_DEPTH = 12;

/**
 * A tree prepared for table lookups (after Yang 2021, "Fast TreeSHAP", v2): for each leaf its
 * path's unique features with their zero fractions z_j (product of cover shares of the splits on
 * j), and for every hot pattern q of those features U(q) = Σ_{S ⊆ hot(q)} |S|!(d−|S|−1)!/d! ·
 * Π_{j ∉ S} z_j. A row whose pattern at the leaf is p then adds v·(o_i − z_i)·U(p without i)/z_i
 * to feature i: v(1 − z_i)/z_i · U(p without i) when i is hot, −v · U(p) when it is cold. Those
 * d terms are stored per leaf and pattern, so a row reads d consecutive numbers per leaf. A
 * feature's place among a leaf's unique features is its order of first appearance on the path,
 * shared by every leaf below that split, so one pass down the tree gives every leaf's cold set.
 * The leaves' arrays are laid end to end so one tree's tables stay together in cache.
 */
interface TableTree {
  /** Internal nodes, parents before children. */
  order: Int32Array;
  /** Per internal node in `order`: its feature, threshold, missing side, children and the bit of its feature among the unique features of the path to it. */
  splitFeature: Int32Array;
  splitThreshold: Float64Array;
  splitMissingLeft: Uint8Array;
  splitLeft: Int32Array;
  splitRight: Int32Array;
  splitBit: Int32Array;
  /** The tree's features, ascending. */
  used: Int32Array;
  /** Per leaf: its node, unique-feature count, and offsets into the arrays below. */
  leafNode: Int32Array;
  leafUnique: Int32Array;
  featureStart: Int32Array;
  termStart: Int32Array;
  /** Per leaf end to end: the place in `used` of each unique feature. */
  places: Int32Array;
  /** Per leaf end to end, per hot pattern, the d terms that pattern adds (2^d · d numbers per leaf). */
  terms: Float64Array;
}

/** U(q) for every hot pattern q of d features with zero fractions `zero` (2^d entries). */
function patternTable(zero: readonly number[]): Float64Array {
  const d = zero.length;
  // c(k) = k!(d − 1 − k)!/d!, and per pattern the polynomial Π_{j hot}(z_j + t)·Π_{j cold} z_j.
  const c = new Float64Array(Math.max(d, 1));
  for (let k = 0; k < d; k++) {
    let v = 1 / d;
    for (let m = 1; m <= k; m++) v *= m / (d - m);
    c[k] = v;
  }
  const size = 1 << d;
  const poly = new Float64Array(size * (d + 1));
  poly[0] = zero.reduce((a, b) => a * b, 1);
  const table = new Float64Array(size);
  for (let q = 0; q < size; q++) {
    if (q > 0) {
      const j = 31 - Math.clz32(q & -q);
      const from = (q & (q - 1)) * (d + 1);
      const zj = zero[j] ?? 1;
      // poly(q) = poly(q without j) · (z_j + t)/z_j
      for (let k = d; k >= 0; k--) poly[q * (d + 1) + k] = ((poly[from + k] ?? 0) * zj + (k > 0 ? (poly[from + k - 1] ?? 0) : 0)) / zj;
    }
    let u = 0;
    for (let k = 0; k < d; k++) u += (c[k] ?? 0) * (poly[q * (d + 1) + k] ?? 0);
    table[q] = u;
  }
  return table;
}

/** Each pattern's d terms for a leaf of value v: v(1 − z_i)/z_i · U(p without i) for hot i, −v · U(p) for cold i. */
function patternTerms(zero: readonly number[], v: number): Float64Array {
  const d = zero.length;
  const table = patternTable(zero);
  const terms = new Float64Array(table.length * d);
  for (let p = 0; p < table.length; p++) {
    const coldTerm = -v * (table[p] ?? 0);
    for (let i = 0; i < d; i++) {
      const z = zero[i] ?? 1;
      terms[p * d + i] = (p >> i) & 1 ? ((v * (1 - z)) / z) * (table[p & ~(1 << i)] ?? 0) : coldTerm;
    }
  }
  return terms;
}

/** The table form of a tree, or null when a leaf's path is too deep or has a zero cover share. */
function tableTree(tree: ShapTree): TableTree | null {
  const order: number[] = [];
  const bitOf = new Int32Array(tree.feature.length);
  const leafNode: number[] = [];
  const leafUnique: number[] = [];
  const featureStart: number[] = [];
  const termStart: number[] = [];
  const leafFeatures: number[] = [];
  const terms: Float64Array[] = [];
  let termSize = 0;
  // features/zero: the unique features of the path so far and their zero fractions.
  const walk = (node: number, features: readonly number[], zero: readonly number[]): boolean => {
    const left = tree.left[node] ?? -1;
    if (left >= 0) {
      order.push(node);
      const f = tree.feature[node] ?? 0;
      let u = features.indexOf(f);
      const seen = u >= 0 ? features : [...features, f];
      if (u < 0) u = features.length;
      bitOf[node] = 1 << Math.min(u, 30);
      const parent = tree.cover[node] ?? 0;
      const right = tree.right[node] ?? -1;
      const down = (child: number): number[] => {
        const z = [...zero, ...(seen.length > zero.length ? [1] : [])];
        z[u] = (z[u] ?? 0) * (parent > 0 ? (tree.cover[child] ?? 0) / parent : 0);
        return z;
      };
      return walk(left, seen, down(left)) && walk(right, seen, down(right));
    }
    const d = features.length;
    if (d > TABLE_DEPTH || zero.some((z) => !(z > 0))) return false;
    leafNode.push(node);
    leafUnique.push(d);
    featureStart.push(leafFeatures.length);
    termStart.push(termSize);
    leafFeatures.push(...features);
    const t = patternTerms(zero, tree.value[node] ?? 0);
    terms.push(t);
    termSize += t.length;
    return true;
  };
  if (!walk(0, [], [])) return null;
  const all = new Float64Array(termSize);
  terms.forEach((t, l) => all.set(t, termStart[l] ?? 0));
  const used = Int32Array.from(new Set(leafFeatures)).sort();
  const place = new Map<number, number>();
  used.forEach((f, j) => place.set(f, j));
  const splits = Int32Array.from(order);
  return {
    order: splits,
    splitFeature: splits.map((n) => tree.feature[n] ?? 0),
    splitThreshold: Float64Array.from(splits, (n) => tree.threshold[n] ?? 0),
    splitMissingLeft: Uint8Array.from(splits, (n) => tree.missingLeft[n] ?? 0),
    splitLeft: splits.map((n) => tree.left[n] ?? 0),
    splitRight: splits.map((n) => tree.right[n] ?? 0),
    splitBit: splits.map((n) => bitOf[n] ?? 0),
    used,
    leafNode: Int32Array.from(leafNode),
    leafUnique: Int32Array.from(leafUnique),
    featureStart: Int32Array.from(featureStart),
    termStart: Int32Array.from(termStart),
    places: Int32Array.from(leafFeatures, (f) => place.get(f) ?? 0),
    terms: all,
  };
}

/**
 * Per-tree memory of rows already explained: a row's values from one tree depend only on which
 * way it goes at each of the tree's splits, so rows with the same split decisions (often most
 * rows of a real table: 2,111 distinct per tree of Telco's 7,043 under a 200-tree model) share
 * one computation. Open addressing on the decision bits, 31 per word; rebuilt for every tree.
 */
class DecisionCache {
  slots = new Int32Array(0);
  keys = new Int32Array(0);
  values = new Float64Array(0);
  count = 0;
  words = 1;
  width = 0;

  /** Empties the cache for a tree with `words` key words and `width` features, for up to n rows. */
  reset(n: number, words: number, width: number): void {
    let size = 16;
    while (size < 2 * n) size *= 2;
    if (this.slots.length !== size) this.slots = new Int32Array(size);
    this.slots.fill(-1);
    if (this.keys.length < n * words) this.keys = new Int32Array(n * words);
    if (this.values.length < n * width) this.values = new Float64Array(n * width);
    this.count = 0;
    this.words = words;
    this.width = width;
  }

  /** The slot index for `key` (words), holding an entry index or −1 when absent. */
  slotOf(key: Int32Array): number {
    const words = this.words;
    let h = 0x811c9dc5;
    for (let w = 0; w < words; w++) h = Math.imul(h ^ (key[w] ?? 0), 0x01000193);
    const mask = this.slots.length - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const entry = this.slots[slot] ?? -1;
      if (entry < 0) return slot;
      let same = true;
      for (let w = 0; w < words && same; w++) same = this.keys[entry * words + w] === key[w];
      if (same) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Stores `key` at `slot` (from slotOf) and returns the entry's offset in `values`. */
  add(slot: number, key: Int32Array): number {
    const entry = this.count++;
    this.slots[slot] = entry;
    this.keys.set(key.subarray(0, this.words), entry * this.words);
    return entry * this.width;
  }
}

/**
 * Adds the Shapley values of a table tree for n rows of `x` (row-major, `features` wide) to
 * `out` (same layout): one tree at a time over all rows, so its tables are read from cache,
 * and once per distinct set of split decisions.
 */
function tableShapRows(t: TableTree, x: Float64Array, n: number, features: number, out: Float64Array, cold: Int32Array, cache: DecisionCache): void {
  const { order, splitFeature, splitThreshold, splitMissingLeft, splitLeft, splitRight, splitBit, used, leafNode, leafUnique, featureStart, termStart, places, terms } = t;
  const leaves = leafNode.length;
  const internal = order.length;
  const width = used.length;
  const words = Math.max(1, Math.ceil(internal / 31));
  const key = new Int32Array(words);
  cache.reset(n, words, width);
  const stored = cache.values;
  for (let r = 0; r < n; r++) {
    const base = r * features;
    // Each split's test once per row; the tests are the row's key.
    for (let k = 0, word = 0, bit = 0, bits = 0; k < internal; k++) {
      const v = x[base + (splitFeature[k] ?? 0)] ?? NaN;
      // Branch-free: left when v ≤ threshold, or when v is missing and missing goes left.
      bits |= (+(v <= (splitThreshold[k] ?? 0)) | (+(v !== v) & (splitMissingLeft[k] ?? 0))) << bit;
      if (++bit === 31 || k === internal - 1) {
        key[word++] = bits;
        bits = 0;
        bit = 0;
      }
    }
    const slot = cache.slotOf(key);
    let at = cache.slots[slot] ?? -1;
    if (at >= 0) {
      at *= width;
    } else {
      at = cache.add(slot, key);
      stored.fill(0, at, at + width);
      // Cold features per node, parents first: a split the row does not follow turns its feature cold below.
      cold[order[0] ?? 0] = 0;
      for (let k = 0; k < internal; k++) {
        const c = cold[order[k] ?? 0] ?? 0;
        const b = splitBit[k] ?? 0;
        const goLeft = ((key[(k / 31) | 0] ?? 0) >> k % 31) & 1;
        cold[splitLeft[k] ?? 0] = goLeft ? c : c | b;
        cold[splitRight[k] ?? 0] = goLeft ? c | b : c;
      }
      for (let l = 0; l < leaves; l++) {
        const d = leafUnique[l] ?? 0;
        const hot = ((1 << d) - 1) & ~(cold[leafNode[l] ?? 0] ?? 0);
        const f0 = featureStart[l] ?? 0;
        const t0 = (termStart[l] ?? 0) + hot * d;
        for (let i = 0; i < d; i++) {
          const j = at + (places[f0 + i] ?? 0);
          stored[j] = (stored[j] ?? 0) + (terms[t0 + i] ?? 0);
        }
      }
    }
    for (let j = 0; j < width; j++) {
      const o = base + (used[j] ?? 0);
      out[o] = (out[o] ?? 0) + (stored[at + j] ?? 0);
    }
  }
}

/**
 * Shapley values of an additive ensemble (raw output = base + Σ trees) for n rows of `features`
 * columns, row-major: each tree by table lookups where its paths allow, recursively otherwise.
 * Trees are taken one at a time over all rows; each row's values still add up tree by tree in
 * the ensemble's order.
 */
export function ensembleShap(trees: readonly ShapTree[], x: ArrayLike<number>, n: number, features: number): { values: Float64Array; expected: number } {
  const values = new Float64Array(n * features);
  const rows = Float64Array.from({ length: n * features }, (_, i) => Number(x[i]));
  const scratch = new ShapScratch();
  const cache = new DecisionCache();
  const nodes = Math.max(1, ...trees.map((t) => t.feature.length));
  const cold = new Int32Array(nodes);
  for (const tree of trees) {
    const table = tableTree(tree);
    if (table) {
      tableShapRows(table, rows, n, features, values, cold, cache);
      continue;
    }
    const depth = treeDepth(tree);
    for (let i = 0; i < n; i++) treeShap(tree, rows.subarray(i * features, (i + 1) * features), values.subarray(i * features, (i + 1) * features), scratch, depth);
  }
  return { values, expected: trees.reduce((s, t) => s + expectedOutput(t), 0) };
}
