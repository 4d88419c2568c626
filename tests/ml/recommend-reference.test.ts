import { describe, expect, it } from 'vitest';
import { buildUserItems, fitItemItem, recommendAll, recommendFor, type Interactions, type ItemItemOptions, type Recommendations } from '../../src/ml/recommend.ts';
import { createRng } from '../../src/ml/random.ts';

/**
 * The sparse kernel (co-occurrence rows, bounded top-K, reasons for the kept items only) checked
 * bit for bit against a brute-force reading of src/ml/recommend.ts's header: a dense item × item
 * matrix summed in the same order (users ascending), every candidate sorted, every history scanned.
 */

/** Skewed random purchases: a few heavy customers, repeats, and many exact ties under binary weights. */
function purchases(seed: number, nUsers: number, nItems: number, flat = false): Interactions {
  const rng = createRng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const counts: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const len = flat ? 30 : rng.next() < 0.15 ? 10 + rng.int(nItems) : rng.int(6);
    for (let k = 0; k < len; k++) {
      users.push(u);
      items.push(flat ? rng.int(nItems) : Math.floor(rng.next() ** 2 * nItems));
      counts.push(1 + rng.int(3));
    }
  }
  return { users: Int32Array.from(users), items: Int32Array.from(items), counts: Float64Array.from(counts), nUsers, nItems };
}

/** Neighbour lists by the dense definition: rows of (j, sim), best first, ties to the lower j. */
function referenceNeighbours(x: Interactions, o: Required<ItemItemOptions>): { j: number; s: number }[][] {
  const ui = buildUserItems(x);
  const m = x.nItems;
  const c = new Float64Array(m * m);
  const norm = new Float64Array(m);
  for (let u = 0; u < ui.rows; u++) {
    let row = Array.from({ length: ui.indptr[u + 1]! - ui.indptr[u]! }, (_, p) => ({ i: ui.indices[ui.indptr[u]! + p]!, n: ui.data[ui.indptr[u]! + p]! }));
    if (row.length > o.maxHistory) row = row.sort((a, b) => b.n - a.n || a.i - b.i).slice(0, o.maxHistory).sort((a, b) => a.i - b.i);
    const w = row.map((e) => (o.weighting === 'binary' ? 1 : Math.log1p(e.n)));
    row.forEach((e, a) => {
      norm[e.i]! += w[a]! * w[a]!;
      row.forEach((f, b) => {
        c[e.i * m + f.i]! += w[a]! * w[b]!;
      });
    });
  }
  const K = Math.min(o.neighbours, Math.max(m - 1, 0));
  return Array.from({ length: m }, (_, i) => {
    const all: { j: number; s: number }[] = [];
    for (let j = 0; j < m; j++) {
      if (j !== i && c[i * m + j]! > 0) all.push({ j, s: c[i * m + j]! / (Math.pow(norm[i]!, o.alpha) * Math.pow(norm[j]!, 1 - o.alpha) + o.shrinkage) });
    }
    return all.sort((a, b) => b.s - a.s || a.j - b.j).slice(0, K);
  });
}

/** Top-n of one history by the definition, popularity filling what the neighbours leave. */
function referenceList(nb: { j: number; s: number }[][], popularity: Float64Array, users: number, history: number[], n: number): { item: number; score: number; reason: number; source: number }[] {
  const bought = new Set(history);
  const score = new Map<number, number>();
  const reason = new Map<number, { i: number; s: number }>();
  for (const i of history) {
    for (const { j, s } of nb[i]!) {
      if (bought.has(j)) continue;
      score.set(j, (score.get(j) ?? 0) + s);
      const r = reason.get(j);
      if (r === undefined || s > r.s || (s === r.s && i < r.i)) reason.set(j, { i, s });
    }
  }
  const list = [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n).map(([item, s]) => ({ item, score: s, reason: reason.get(item)?.i ?? -1, source: 0 }));
  const popular = Array.from(popularity.keys()).sort((a, b) => popularity[b]! - popularity[a]! || a - b);
  for (const j of popular) {
    if (list.length === n) break;
    if (bought.has(j) || list.some((e) => e.item === j) || popularity[j] === 0) continue;
    list.push({ item: j, score: popularity[j]! / users, reason: -1, source: 1 });
  }
  while (list.length < n) list.push({ item: -1, score: 0, reason: -1, source: 255 });
  return list;
}

function rowOf(recs: Recommendations, u: number): { item: number; score: number; reason: number; source: number }[] {
  return Array.from({ length: recs.n }, (_, s) => ({ item: recs.items[u * recs.n + s]!, score: recs.scores[u * recs.n + s]!, reason: recs.reasons[u * recs.n + s]!, source: recs.sources[u * recs.n + s]! }));
}

const cases: { seed: number; nUsers: number; nItems: number; n: number; flat?: boolean; options: Required<ItemItemOptions> }[] = [
  { seed: 1, nUsers: 60, nItems: 40, n: 3, options: { weighting: 'binary', alpha: 0.5, shrinkage: 0, neighbours: 3, maxHistory: 1000 } },
  { seed: 2, nUsers: 80, nItems: 50, n: 5, options: { weighting: 'binary', alpha: 0.5, shrinkage: 0, neighbours: 100, maxHistory: 6 } },
  { seed: 3, nUsers: 70, nItems: 45, n: 2, options: { weighting: 'log-count', alpha: 0.7, shrinkage: 2.5, neighbours: 5, maxHistory: 10 } },
  { seed: 4, nUsers: 50, nItems: 30, n: 4, options: { weighting: 'log-count', alpha: 1, shrinkage: 0, neighbours: 1, maxHistory: 3 } },
  { seed: 5, nUsers: 60, nItems: 35, n: 6, options: { weighting: 'binary', alpha: 0, shrinkage: 10, neighbours: 7, maxHistory: 1 } },
  { seed: 6, nUsers: 300, nItems: 400, n: 20, options: { weighting: 'binary', alpha: 0.5, shrinkage: 0, neighbours: 20, maxHistory: 500 } },
  // Everyone buys 30 of 150 at random: hundreds of candidates per row tie on equal counts and norms.
  ...[7, 8, 9].map((seed) => ({ seed, nUsers: 120, nItems: 150, n: 3, flat: true, options: { weighting: 'binary' as const, alpha: 0.5, shrinkage: 0, neighbours: 4, maxHistory: 500 } })),
];

describe('the sparse item-item kernel against the dense definition', () => {
  it.each(cases)('gives the same neighbours, lists, scores and reasons bit for bit (seed $seed, $options.weighting, K=$options.neighbours, cap $options.maxHistory)', ({ seed, nUsers, nItems, n, flat, options }) => {
    const x = purchases(seed, nUsers, nItems, flat);
    const model = fitItemItem(x, options);
    const nb = referenceNeighbours(x, options);
    for (let i = 0; i < nItems; i++) {
      const got = Array.from({ length: model.neighbours.indptr[i + 1]! - model.neighbours.indptr[i]! }, (_, p) => ({ j: model.neighbours.indices[model.neighbours.indptr[i]! + p]!, s: model.neighbours.data[model.neighbours.indptr[i]! + p]! }));
      expect(got).toEqual(nb[i]);
    }
    const recs = recommendAll(model, { n });
    const ui = model.userItems;
    for (let u = 0; u < nUsers; u++) {
      const history = Array.from(ui.indices.subarray(ui.indptr[u]!, ui.indptr[u + 1]!));
      expect(rowOf(recs, u)).toEqual(referenceList(nb, model.popularity, nUsers, history, n));
    }
    // Histories given from outside, with repeats and in any order, score each occurrence.
    const rng = createRng(seed + 100);
    const histories = Array.from({ length: 20 }, () => Array.from({ length: rng.int(8) }, () => rng.int(nItems)));
    const outside = recommendFor(model, histories, { n });
    histories.forEach((h, u) => expect(rowOf(outside, u)).toEqual(referenceList(nb, model.popularity, nUsers, h, n)));
  });

  it('has exact ties to break: binary weights give equal similarities', () => {
    const model = fitItemItem(purchases(1, 60, 40), { neighbours: 39 });
    const sims = Array.from(model.neighbours.data);
    expect(new Set(sims).size).toBeLessThan(sims.length / 2);
  });
});
