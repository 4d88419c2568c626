import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/ml/random.ts';
import { conditionalExpectation, ensembleShap, expectedOutput, treeOutput, treeShap, type ShapTree } from '../../src/ml/tree-shap.ts';

/** A random tree over `features` features, up to `depth` deep, with covers that split parent covers. */
function randomTree(rng: Rng, features: number, depth: number): ShapTree {
  const t = { feature: [] as number[], threshold: [] as number[], missingLeft: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[], cover: [] as number[] };
  const grow = (cover: number, level: number): number => {
    const id = t.feature.length;
    t.feature.push(-1); t.threshold.push(0); t.missingLeft.push(0); t.left.push(-1); t.right.push(-1); t.value.push(0); t.cover.push(cover);
    if (level >= depth || cover < 2 || rng.next() < 0.15) {
      t.value[id] = rng.normal();
      return id;
    }
    t.feature[id] = rng.int(features);
    t.threshold[id] = rng.normal() * 0.8;
    t.missingLeft[id] = rng.int(2);
    const share = 0.15 + 0.7 * rng.next();
    const l = grow(cover * share, level + 1);
    const r = grow(cover * (1 - share), level + 1);
    t.left[id] = l;
    t.right[id] = r;
    return id;
  };
  grow(100 + rng.int(900), 0);
  return t;
}

/** Exact Shapley values of v(S) = E[f(x) | x_S] by enumerating every coalition. */
function bruteForce(tree: ShapTree, x: number[], features: number): number[] {
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array<number>(features).fill(0);
  for (let mask = 0; mask < 1 << features; mask++) {
    const s = new Set<number>();
    for (let f = 0; f < features; f++) if (mask & (1 << f)) s.add(f);
    const base = conditionalExpectation(tree, x, s);
    for (let i = 0; i < features; i++) {
      if (s.has(i)) continue;
      const weight = (fact(s.size) * fact(features - s.size - 1)) / fact(features);
      phi[i] = (phi[i] ?? 0) + weight * (conditionalExpectation(tree, x, new Set([...s, i])) - base);
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values on small random trees (up to 6 features, repeated splits on a feature, missing values) to 1e-9', () => {
    const rng = createRng(17);
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const features = 2 + rng.int(5);
      const tree = randomTree(rng, features, 2 + rng.int(5));
      for (let r = 0; r < 4; r++) {
        const x = Array.from({ length: features }, () => (rng.next() < 0.1 ? NaN : rng.normal()));
        const phi = new Float64Array(features);
        treeShap(tree, x, phi);
        const exact = bruteForce(tree, x, features);
        for (let f = 0; f < features; f++) expect(Math.abs((phi[f] ?? 0) - (exact[f] ?? 0))).toBeLessThan(1e-9);
        checked++;
      }
    }
    expect(checked).toBe(240);
  });

  it('gives each row values that sum to its ensemble output minus the expected output', () => {
    const rng = createRng(3);
    const features = 5;
    const trees = Array.from({ length: 30 }, () => randomTree(rng, features, 6));
    const n = 50;
    const x = Float64Array.from({ length: n * features }, () => rng.normal());
    const { values, expected } = ensembleShap(trees, x, n, features);
    expect(expected).toBeCloseTo(trees.reduce((s, t) => s + expectedOutput(t), 0), 12);
    for (let i = 0; i < n; i++) {
      const row = x.subarray(i * features, (i + 1) * features);
      const output = trees.reduce((s, t) => s + treeOutput(t, row), 0);
      const sum = values.subarray(i * features, (i + 1) * features).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (output - expected))).toBeLessThan(1e-9);
    }
  });

  it('gives a feature the tree never splits on exactly zero', () => {
    const rng = createRng(5);
    const tree = randomTree(rng, 3, 5);
    const phi = new Float64Array(4);
    treeShap(tree, [0.1, -0.3, 0.7, 9], phi);
    expect(phi[3]).toBe(0);
  });
});

describe('TreeSHAP by tables and by recursion', () => {
  it('agree to 1e-9 on ensembles of random trees, rows with missing values included', () => {
    const rng = createRng(23);
    const features = 6;
    const trees = Array.from({ length: 20 }, () => randomTree(rng, features, 7));
    const n = 40;
    const x = Float64Array.from({ length: n * features }, () => (rng.next() < 0.1 ? NaN : rng.normal()));
    const { values } = ensembleShap(trees, x, n, features);
    for (let i = 0; i < n; i++) {
      const phi = new Float64Array(features);
      for (const t of trees) treeShap(t, x.subarray(i * features, (i + 1) * features), phi);
      for (let f = 0; f < features; f++) expect(Math.abs((values[i * features + f] ?? 0) - (phi[f] ?? 0))).toBeLessThan(1e-9);
    }
  });
});

describe('TreeSHAP over many rows', () => {
  it('gives rows that repeat split decisions (cached) the same values as recursion, to 1e-9', () => {
    const rng = createRng(31);
    const features = 5;
    const trees = Array.from({ length: 25 }, () => randomTree(rng, features, 6));
    const n = 300;
    // Few distinct values, so most rows repeat an earlier row's decisions in every tree.
    const x = Float64Array.from({ length: n * features }, () => [-1, 0, 0.5, NaN][rng.int(4)] ?? 0);
    const { values } = ensembleShap(trees, x, n, features);
    for (let i = 0; i < n; i++) {
      const phi = new Float64Array(features);
      for (const t of trees) treeShap(t, x.subarray(i * features, (i + 1) * features), phi);
      for (let f = 0; f < features; f++) expect(Math.abs((values[i * features + f] ?? 0) - (phi[f] ?? 0))).toBeLessThan(1e-9);
    }
  });

  it('handles trees with more splits than one 31-bit decision word (deep trees on few features)', () => {
    const rng = createRng(37);
    const features = 4;
    const trees = Array.from({ length: 6 }, () => randomTree(rng, features, 9));
    expect(Math.max(...trees.map((t) => Array.from(t.left).filter((l) => l >= 0).length))).toBeGreaterThan(62);
    const n = 120;
    const x = Float64Array.from({ length: n * features }, () => (rng.next() < 0.5 ? rng.normal() : [-0.5, 0.5][rng.int(2)] ?? 0));
    const { values } = ensembleShap(trees, x, n, features);
    for (let i = 0; i < n; i++) {
      const phi = new Float64Array(features);
      for (const t of trees) treeShap(t, x.subarray(i * features, (i + 1) * features), phi);
      for (let f = 0; f < features; f++) expect(Math.abs((values[i * features + f] ?? 0) - (phi[f] ?? 0))).toBeLessThan(1e-9);
    }
  });
});
