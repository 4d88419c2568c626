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
 * to feature i: O(leaves · depth) per row instead of O(leaves · depth²).
 */
interface TableTree {
  /** Leaf values. */
  value: Float64Array;
  /** Per leaf: unique features, their zero fractions and the pattern table. */
  leaves: { node: number; features: Int32Array; zero: Float64Array; table: Float64Array; splitNode: Int32Array; splitUnique: Int32Array; splitLeft: Uint8Array }[];
  /** Internal nodes, for the per-row split tests. */
  internal: Int32Array;
}

/** The table form of a tree, or null when a leaf's path is too deep or has a zero cover share. */
function tableTree(tree: ShapTree): TableTree | null {
  const leaves: TableTree['leaves'] = [];
  const walk = (node: number, path: { node: number; left: boolean }[]): boolean => {
    const left = tree.left[node] ?? -1;
    if (left >= 0) {
      return walk(left, [...path, { node, left: true }]) && walk(tree.right[node] ?? -1, [...path, { node, left: false }]);
    }
    const features: number[] = [];
    const zero: number[] = [];
    const splits: { node: number; unique: number; left: boolean }[] = [];
    for (const step of path) {
      const f = tree.feature[step.node] ?? 0;
      let u = features.indexOf(f);
      if (u < 0) {
        u = features.length;
        features.push(f);
        zero.push(1);
      }
      const parent = tree.cover[step.node] ?? 0;
      const child = step.left ? (tree.cover[tree.left[step.node] ?? 0] ?? 0) : (tree.cover[tree.right[step.node] ?? 0] ?? 0);
      zero[u] = (zero[u] ?? 0) * (parent > 0 ? child / parent : 0);
      splits.push({ node: step.node, unique: u, left: step.left });
    }
    const d = features.length;
    if (d > TABLE_DEPTH || zero.some((z) => !(z > 0))) return false;
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
    leaves.push({
      node,
      features: Int32Array.from(features),
      zero: Float64Array.from(zero),
      table,
      splitNode: Int32Array.from(splits, (x) => x.node),
      splitUnique: Int32Array.from(splits, (x) => x.unique),
      splitLeft: Uint8Array.from(splits, (x) => (x.left ? 1 : 0)),
    });
    return true;
  };
  if (!walk(0, [])) return null;
  const internal = Int32Array.from({ length: tree.feature.length }, (_, i) => i).filter((i) => (tree.left[i] ?? -1) >= 0);
  return { value: Float64Array.from({ length: tree.value.length }, (_, i) => tree.value[i] ?? 0), leaves, internal };
}

/** Adds one row's Shapley values of a table tree to `phi`. */
function tableShap(tree: ShapTree, t: TableTree, x: ArrayLike<number>, phi: Float64Array, goesLeft: Uint8Array): void {
  // Each split's test once per row; a leaf's hot pattern is the AND of its splits' matches per feature.
  const internal = t.internal;
  for (let k = 0; k < internal.length; k++) {
    const node = internal[k] ?? 0;
    const v = x[tree.feature[node] ?? 0] ?? NaN;
    goesLeft[node] = v <= (tree.threshold[node] ?? 0) || (v !== v && tree.missingLeft[node] === 1) ? 1 : 0;
  }
  const leaves = t.leaves;
  for (let l = 0; l < leaves.length; l++) {
    const leaf = leaves[l];
    if (leaf === undefined) continue;
    const { features, zero, table, splitNode, splitUnique, splitLeft } = leaf;
    const d = features.length;
    let hot = (1 << d) - 1;
    for (let s = 0; s < splitNode.length; s++) if (goesLeft[splitNode[s] ?? 0] !== splitLeft[s]) hot &= ~(1 << (splitUnique[s] ?? 0));
    const v = t.value[leaf.node] ?? 0;
    for (let i = 0; i < d; i++) {
      const z = zero[i] ?? 1;
      const f = features[i] ?? 0;
      phi[f] = (phi[f] ?? 0) + (v * (((hot >> i) & 1) - z) * (table[hot & ~(1 << i)] ?? 0)) / z;
    }
  }
}

/**
 * Shapley values of an additive ensemble (raw output = base + Σ trees) for n rows of `features`
 * columns, row-major: each tree by table lookups where its paths allow, recursively otherwise.
 */
export function ensembleShap(trees: readonly ShapTree[], x: ArrayLike<number>, n: number, features: number): { values: Float64Array; expected: number } {
  const values = new Float64Array(n * features);
  const scratch = new ShapScratch();
  const depths = trees.map((t) => treeDepth(t));
  const tables = trees.map((t) => tableTree(t));
  const goesLeft = new Uint8Array(Math.max(1, ...trees.map((t) => t.feature.length)));
  const row = new Float64Array(features);
  const phi = new Float64Array(features);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < features; f++) row[f] = Number(x[i * features + f]);
    phi.fill(0);
    trees.forEach((t, k) => {
      const table = tables[k];
      if (table) tableShap(t, table, row, phi, goesLeft);
      else treeShap(t, row, phi, scratch, depths[k] ?? 0);
    });
    values.set(phi, i * features);
  }
  return { values, expected: trees.reduce((s, t) => s + expectedOutput(t), 0) };
}
