import { describe, expect, it } from 'vitest';
import {
  RECOMMENDATION_SOURCES,
  buildUserItems,
  evaluateOffline,
  fitItemItem,
  recommendAll,
  recommendFor,
  recommendPopular,
  scoreRankings,
  holdoutSplit,
  splitLastBasket,
  splitRandomItem,
  type HoldoutSplit,
  type Interactions,
  type Recommendations,
} from '../../src/ml/recommend.ts';
import { KernelInputError } from '../../src/ml/matrix.ts';
import { createRng } from '../../src/ml/random.ts';

/** u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}, u3 {3}, u4 nothing; item 4 never bought. */
function tiny(): Interactions {
  const pairs = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
    [3, 3],
    [0, 1], // a repeat purchase: summed, not a new item
  ];
  return {
    users: Int32Array.from(pairs, (p) => p[0]!),
    items: Int32Array.from(pairs, (p) => p[1]!),
    nUsers: 5,
    nItems: 5,
  };
}

function row(recs: Recommendations, u: number): { items: number[]; scores: number[]; reasons: number[]; sources: string[] } {
  const slice = (a: ArrayLike<number>): number[] => Array.from({ length: recs.n }, (_, s) => a[u * recs.n + s]!);
  return {
    items: slice(recs.items),
    scores: slice(recs.scores),
    reasons: slice(recs.reasons),
    sources: slice(recs.sources).map((k) => RECOMMENDATION_SOURCES[k] ?? 'none'),
  };
}

describe('item-item recommendations on a hand-checked example', () => {
  const model = fitItemItem(tiny());
  const recs = recommendAll(model, { n: 3 });

  it('sums repeated purchases into counts', () => {
    const ui = buildUserItems(tiny());
    expect(Array.from(ui.indptr)).toEqual([0, 2, 5, 7, 8, 8]);
    expect(Array.from(ui.indices)).toEqual([0, 1, 0, 1, 2, 1, 2, 3]);
    expect(Array.from(ui.data)).toEqual([1, 2, 1, 1, 1, 1, 1, 1]);
  });

  it('computes cosine neighbours: sim(0→1) = 2/√6, sim(0→2) = 1/2, sim(1→2) = 2/√6', () => {
    const nb = model.neighbours;
    const list = (i: number): [number, number][] =>
      Array.from({ length: nb.indptr[i + 1]! - nb.indptr[i]! }, (_, p) => [nb.indices[nb.indptr[i]! + p]!, nb.data[nb.indptr[i]! + p]!]);
    const [first, second] = list(0);
    expect(first![0]).toBe(1);
    expect(first![1]).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(second![0]).toBe(2);
    expect(second![1]).toBeCloseTo(0.5, 12);
    expect(list(3)).toEqual([]);
  });

  it('excludes what the customer bought and names the bought item behind each suggestion', () => {
    const u0 = row(recs, 0);
    // Item 2: 0.5 via item 0 plus 2/√6 via item 1 (the larger term, so the reason is item 1).
    expect(u0.items).toEqual([2, 3, -1]);
    expect(u0.scores[0]).toBeCloseTo(0.5 + 2 / Math.sqrt(6), 12);
    expect(u0.reasons).toEqual([1, -1, -1]);
    expect(u0.sources).toEqual(['item-item', 'popular', 'none']);
    // Item 3's popularity: 1 of 5 customers.
    expect(u0.scores[1]).toBeCloseTo(0.2, 12);
  });

  it('falls back to popularity for a customer without history (ties to the lower item id)', () => {
    const u4 = row(recs, 4);
    expect(u4.items).toEqual([1, 0, 2]);
    expect(u4.scores).toEqual([0.6, 0.4, 0.4]);
    expect(u4.sources).toEqual(['popular', 'popular', 'popular']);
  });

  it('fills with popularity when the neighbours give nothing new', () => {
    expect(row(recs, 3).items).toEqual([1, 0, 2]);
  });

  it('never recommends an item nobody bought', () => {
    expect(Array.from(recs.items).includes(4)).toBe(false);
  });

  it('uses popularity within the customer segment first when segments are given', () => {
    // Segments: u0, u1 → 0; u2, u3, u4 → 1. In segment 1 item 2 and item 1 lead (1 buyer each among 3), then item 3.
    const segments = Int32Array.from([0, 0, 1, 1, 1]);
    const u4 = row(recommendAll(model, { n: 3, segments }), 4);
    expect(u4.items).toEqual([1, 2, 3]);
    expect(u4.sources).toEqual(['segment-popular', 'segment-popular', 'segment-popular']);
    expect(u4.scores[0]).toBeCloseTo(1 / 3, 12);
  });

  it('recommends for new customers from their histories', () => {
    const out = recommendFor(model, [[2], []], { n: 2 });
    expect(row(out, 0).items).toEqual([1, 0]);
    expect(row(out, 0).reasons).toEqual([2, 2]);
    expect(row(out, 1).sources).toEqual(['popular', 'popular']);
    expect(() => recommendFor(model, [[7]])).toThrowError('History 0 has item id 7, outside 0..4.');
  });

  it('ranks popularity alone for the baseline, excluding bought items', () => {
    expect(row(recommendPopular(model, { n: 2 }), 2).items).toEqual([0, 3]);
  });
});

describe('options and bad input', () => {
  it('caps long histories for the similarity and counts the capped users', () => {
    const model = fitItemItem(tiny(), { maxHistory: 2 });
    expect(model.cappedUsers).toBe(1);
    // u1 keeps items 0 and 1 (counts tie at 1: lower ids), so item 2 is only seen with item 1 via u2.
    const nb = model.neighbours;
    const from0 = Array.from(nb.indices.subarray(nb.indptr[0]!, nb.indptr[1]!));
    expect(from0).toEqual([1]);
  });

  it('shrinks similarities with λ and leans with α', () => {
    const shrunk = fitItemItem(tiny(), { shrinkage: 2 });
    expect(shrunk.neighbours.data[0]).toBeCloseTo(2 / (Math.sqrt(6) + 2), 12);
    // α = 1: sim(0→1) = c / n_0 = 2 / 2 = P(bought 1 | bought 0).
    expect(fitItemItem(tiny(), { alpha: 1 }).neighbours.data[0]).toBeCloseTo(1, 12);
  });

  it('rejects ids out of range and bad counts, naming the row', () => {
    const bad: Interactions = { users: Int32Array.of(0, 9), items: Int32Array.of(0, 0), nUsers: 2, nItems: 1 };
    expect(() => fitItemItem(bad)).toThrowError(new KernelInputError('range', 'User id 9 at row 1 is outside 0..1.', 1));
    const counts: Interactions = { ...tiny(), counts: new Float64Array(9).fill(1).fill(Number.NaN, 4, 5) };
    expect(() => fitItemItem(counts)).toThrowError('Count at row 4 is NaN; expected a finite number > 0.');
  });

  it('handles empty data: every slot empty', () => {
    const model = fitItemItem({ users: new Int32Array(0), items: new Int32Array(0), nUsers: 2, nItems: 3 });
    const recs = recommendAll(model, { n: 2 });
    expect(Array.from(recs.items)).toEqual([-1, -1, -1, -1]);
  });
});

describe('offline evaluation', () => {
  it('scores hit-rate, recall and MAP on hand-made lists', () => {
    const split: HoldoutSplit = {
      train: { users: new Int32Array(0), items: new Int32Array(0), nUsers: 2, nItems: 8 },
      evalUsers: Int32Array.of(0, 1),
      heldOut: { indptr: Int32Array.of(0, 2, 3), indices: Int32Array.of(5, 7, 4) },
      description: 'hand-made',
    };
    const recs: Recommendations = {
      n: 3,
      users: 2,
      items: Int32Array.of(7, 2, 5, 1, 2, 3),
      scores: new Float64Array(6),
      reasons: new Int32Array(6),
      sources: new Uint8Array(6),
    };
    const s = scoreRankings(recs, split);
    // User 0: hits at ranks 1 and 3 → recall 1, AP = (1/1 + 2/3) / 2; user 1: nothing.
    expect(s.hitRate).toBe(0.5);
    expect(s.recall).toBe(0.5);
    expect(s.map).toBeCloseTo((1 + 2 / 3) / 2 / 2, 15);
  });

  it('holds out each customer’s last basket, keeping only products not bought before as targets', () => {
    // u0: basket 10 (t=1) {0, 1}, basket 11 (t=2) {1, 2}; u1: one basket; u2: basket 13 (t=5) {3} is later than 14 (t=3).
    const ev = [
      [0, 0, 10, 1],
      [0, 1, 10, 1],
      [0, 1, 11, 2],
      [0, 2, 11, 2],
      [1, 0, 12, 1],
      [2, 3, 13, 5],
      [2, 0, 14, 3],
      [3, 1, 15, 1],
      [3, 1, 16, 2], // u3's last basket repeats item 1 only: nothing to predict, kept in training
    ];
    const split = splitLastBasket({
      users: Int32Array.from(ev, (e) => e[0]!),
      items: Int32Array.from(ev, (e) => e[1]!),
      baskets: Int32Array.from(ev, (e) => e[2]!),
      basketTimes: Float64Array.from(ev, (e) => e[3]!),
      nUsers: 4,
      nItems: 4,
    });
    expect(Array.from(split.evalUsers)).toEqual([0, 2]);
    expect(Array.from(split.heldOut.indices)).toEqual([2, 3]);
    expect(Array.from(split.heldOut.indptr)).toEqual([0, 1, 2]);
    expect(Array.from(split.train.users)).toEqual([0, 0, 1, 2, 3, 3]);
    expect(Array.from(split.train.items)).toEqual([0, 1, 0, 0, 1, 1]);
  });

  it('holds out one seeded random item per basket of two or more items', () => {
    const x: Interactions = {
      users: Int32Array.of(0, 0, 0, 1, 2, 2),
      items: Int32Array.of(0, 1, 2, 0, 1, 3),
      nUsers: 3,
      nItems: 4,
    };
    const a = splitRandomItem(x, 4);
    expect(Array.from(a.evalUsers)).toEqual([0, 2]);
    expect(a.train.users.length).toBe(4);
    expect([0, 1, 2]).toContain(a.heldOut.indices[0]);
    expect([1, 3]).toContain(a.heldOut.indices[1]);
    expect(Array.from(splitRandomItem(x, 4).heldOut.indices)).toEqual(Array.from(a.heldOut.indices));
  });

  it('beats popularity where tastes form groups that popularity ignores', () => {
    // Group A (320 customers) buys 4 of items 0–9, group B (280) 4 of items 10–19. A's items are
    // the more popular, so popularity recommends A items to B customers too.
    const rng = createRng(31);
    const users: number[] = [];
    const items: number[] = [];
    for (let u = 0; u < 600; u++) {
      const base = u < 320 ? 0 : 10;
      const chosen = new Set<number>();
      while (chosen.size < 4) chosen.add(base + rng.int(10));
      for (const i of chosen) {
        users.push(u);
        items.push(i);
      }
    }
    const split = splitRandomItem({ users: Int32Array.from(users), items: Int32Array.from(items), nUsers: 600, nItems: 20 }, 1);
    const result = evaluateOffline(split, { n: 3 });
    expect(result.users).toBe(600);
    expect(result.heldOutItems).toBe(600);
    // Popularity can only hit A customers; item-item hits within both groups.
    expect(result.itemItem.recall).toBeGreaterThan(1.5 * result.popularity.recall);
    expect(result.popularity.recall).toBeGreaterThan(0);
    expect(result.itemItem.hitRate).toBe(result.itemItem.recall);
  });
});

describe('holdoutSplit', () => {
  const x: Interactions = { users: Int32Array.of(0, 0, 1, 1), items: Int32Array.of(0, 1, 0, 2), nUsers: 2, nItems: 3 };
  it('splits by last basket, by a seeded random item (drawing the seed only then), or not at all', () => {
    let draws = 0;
    const seed = (): number => {
      draws++;
      return 4;
    };
    const last = holdoutSplit('last-basket', x, [10, 11, 12, 13], [1, 2, 1, 2], seed);
    expect(Array.from(last?.heldOut.indices ?? [])).toEqual([1, 2]);
    expect(draws).toBe(0);
    const random = holdoutSplit('random-item', x, [], [], seed);
    expect(draws).toBe(1);
    expect(Array.from(random?.heldOut.indices ?? [])).toEqual(Array.from(splitRandomItem(x, 4).heldOut.indices));
    expect(holdoutSplit('none', x, [], [], seed)).toBeNull();
    expect(draws).toBe(1);
  });
});
