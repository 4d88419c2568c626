/**
 * Product recommendations from implicit purchase counts: item-item collaborative filtering with
 * a popularity fallback, plus the offline evaluation that says whether it beats popularity.
 *
 * Data: a sparse customer × product matrix given as parallel arrays (user, item, count); repeated
 * pairs are summed. Users and items are dense integer ids 0..nUsers−1 / 0..nItems−1.
 *
 * Similarity (one family covering cosine, shrunk cosine and asymmetric cosine):
 *   r_ui = interaction weight (1 if bought — 'binary' — or ln(1 + count) — 'log-count'; always > 0)
 *   c_ij = Σ_u r_ui r_uj          n_i = Σ_u r_ui²
 *   sim(i → j) = c_ij / (n_i^α · n_j^(1−α) + λ)
 * α = 0.5, λ = 0 is cosine; λ > 0 shrinks pairs seen by few customers towards 0; α > 0.5 is
 * Aiolli's asymmetric cosine, which leans towards P(j | i) and so towards popular j. Each item
 * keeps its `neighbours` most similar items. Cost is Σ_u |history_u|², so histories longer than
 * `maxHistory` distinct items enter the similarity with their `maxHistory` most-bought items only
 * (ties: lower item id); recommendations still exclude everything the customer bought.
 *
 * Scoring: score(u, j) = Σ_{i ∈ history(u)} sim(i → j) over the kept neighbour lists, for j not
 * bought by u; the reason is the bought item i with the largest term ("because you bought i").
 * Slots the neighbours cannot fill (and every slot of a customer with no history) are filled by
 * popularity — the number of distinct customers who bought the item — within the customer's
 * segment when segments are given and the segment has enough unbought items, else overall.
 * Ties in any ranking go to the lower item id, so results are deterministic.
 *
 * Offline evaluation (holdoutSplit, evaluateOffline):
 * - last-basket: for each customer with ≥ 2 baskets, the latest basket (by time; without one,
 *   the basket whose first row comes last) is held out; its products not bought before are the
 *   targets.
 * - random-item: one seeded random product per customer with ≥ 2 products is held out (for
 *   data with no order, e.g. Groceries baskets).
 * A model is fitted on what remains and its top-N (with popularity filling empty slots) is
 * compared with overall popularity (bought products excluded): hit-rate@N, recall@N, MAP@N and
 * their ratios. The evaluation does not use segment popularity; served lists may.
 */
import { assertNever } from '../engine/errors.ts';
import { KernelInputError } from './matrix.ts';
import { createRng, deriveSeed } from './random.ts';

/** Implicit feedback as parallel arrays: row k says user users[k] bought item items[k] (counts[k] times). */
export interface Interactions {
  /** User id per event, 0..nUsers−1. */
  users: Int32Array;
  /** Item id per event, 0..nItems−1. */
  items: Int32Array;
  /** Count per event (default 1); must be finite and > 0. */
  counts?: Float64Array | Float32Array;
  /** Number of users (ids may be unused). */
  nUsers: number;
  /** Number of items (ids may be unused). */
  nItems: number;
}

/** A compressed sparse row matrix (rows = users or items). */
export interface Csr {
  /** Row r spans indices[indptr[r] .. indptr[r+1]). */
  indptr: Int32Array;
  /** Column ids, ascending within a row. */
  indices: Int32Array;
  /** Value per stored entry (summed counts, or similarities). */
  data: Float64Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
}

/** Options for fitItemItem. */
export interface ItemItemOptions {
  /** How counts become weights r_ui. Default 'binary'. */
  weighting?: 'binary' | 'log-count';
  /** α of sim = c_ij / (n_i^α n_j^(1−α) + λ); 0.5 is cosine. Default 0.5. */
  alpha?: number;
  /** λ ≥ 0, shrinkage of the similarity denominator. Default 0. */
  shrinkage?: number;
  /** Neighbours kept per item. Default 20 (the K of the implicit library's ItemItemRecommender). */
  neighbours?: number;
  /** Longest history (distinct items) a user contributes to the similarity. Default 500. */
  maxHistory?: number;
}

/** A fitted item-item recommender. */
export interface ItemItemModel {
  /** The training user × item matrix (summed counts). */
  userItems: Csr;
  /** Each item's neighbour list: row i holds (j, sim(i → j)) sorted by similarity, highest first. */
  neighbours: Csr;
  /** Distinct users per item in the training data. */
  popularity: Float64Array;
  /** Items ordered by popularity, most popular first (ties: lower id). */
  popularOrder: Int32Array;
  /** The options used, with defaults filled in. */
  options: Required<ItemItemOptions>;
  /** Users whose history was capped for the similarity. */
  cappedUsers: number;
}

/** Dense ids for string keys in order of first appearance, remembering the value first given with each key. */
export class KeyIds<V> {
  /** The id of each key. */
  readonly ids = new Map<string, number>();
  /** The value first given with each key, in id order. */
  readonly values: V[] = [];
  /** The dense id of a key, adding it with `value` when new. */
  id(key: string, value: V): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
    }
    return id;
  }
}

/** Where a recommendation came from. */
export const RECOMMENDATION_SOURCES = ['item-item', 'popular', 'segment-popular', 'association-rule'] as const;

/** One of RECOMMENDATION_SOURCES. */
export type RecommendationSource = (typeof RECOMMENDATION_SOURCES)[number];

/** Top-N lists for many users, flattened: user u's slot s is at u·n + s. */
export interface Recommendations {
  /** Slots per user. */
  n: number;
  /** Number of users listed. */
  users: number;
  /** Recommended item per slot, −1 when fewer than n unbought items exist. */
  items: Int32Array;
  /** Score per slot: Σ similarity for item-item, share of customers (or of the segment's customers) who bought it for popularity. */
  scores: Float64Array;
  /** The bought item that contributed most ("because you bought …"), −1 for popularity slots. */
  reasons: Int32Array;
  /** Index into RECOMMENDATION_SOURCES per slot (255 for an empty slot). */
  sources: Uint8Array;
}

/** Options for recommendAll / recommendFor. */
export interface RecommendOptions {
  /** Slots per user (top-N). Default 10. */
  n?: number;
  /** Segment id per user (−1 = none) to fill with popularity within the user's segment. */
  segments?: Int32Array;
}

/** Checks ids and counts and sums repeated (user, item) pairs into a user × item CSR. */
export function buildUserItems(x: Interactions): Csr {
  const { users, items, counts, nUsers, nItems } = x;
  if (!Number.isInteger(nUsers) || nUsers < 0 || !Number.isInteger(nItems) || nItems < 0) {
    throw new KernelInputError('option', `nUsers and nItems must be integers ≥ 0; got ${nUsers}, ${nItems}.`);
  }
  const m = users.length;
  if (items.length !== m || (counts !== undefined && counts.length !== m)) {
    throw new KernelInputError(
      'shape',
      `Interaction arrays differ in length: users ${m}, items ${items.length}${counts ? `, counts ${counts.length}` : ''}.`,
    );
  }
  const rowCount = new Int32Array(nUsers + 1);
  for (let k = 0; k < m; k++) {
    const u = users[k]!;
    const i = items[k]!;
    if (u < 0 || u >= nUsers) throw new KernelInputError('range', `User id ${u} at row ${k} is outside 0..${nUsers - 1}.`, k);
    if (i < 0 || i >= nItems) throw new KernelInputError('range', `Item id ${i} at row ${k} is outside 0..${nItems - 1}.`, k);
    if (counts !== undefined) {
      const c = counts[k]!;
      if (!Number.isFinite(c) || c <= 0) {
        throw new KernelInputError('range', `Count at row ${k} is ${String(c)}; expected a finite number > 0.`, k);
      }
    }
    rowCount[u + 1]!++;
  }
  for (let u = 0; u < nUsers; u++) rowCount[u + 1]! += rowCount[u]!;
  const order = new Int32Array(m);
  const fill = rowCount.slice(0, nUsers);
  for (let k = 0; k < m; k++) order[fill[users[k]!]!++] = k;
  // Within each user, sort events by item and merge duplicates.
  const indptr = new Int32Array(nUsers + 1);
  const outItems = new Int32Array(m);
  const outData = new Float64Array(m);
  let at = 0;
  for (let u = 0; u < nUsers; u++) {
    const start = rowCount[u]!;
    const end = rowCount[u + 1]!;
    const seg = order.subarray(start, end).sort((a, b) => items[a]! - items[b]! || a - b);
    for (let p = 0; p < seg.length; p++) {
      const k = seg[p]!;
      const c = counts === undefined ? 1 : counts[k]!;
      if (at > indptr[u]! && outItems[at - 1] === items[k]) outData[at - 1]! += c;
      else {
        outItems[at] = items[k]!;
        outData[at] = c;
        at++;
      }
    }
    indptr[u + 1] = at;
  }
  return { indptr, indices: outItems.slice(0, at), data: outData.slice(0, at), rows: nUsers, cols: nItems };
}

/** Transposes a CSR (user × item → item × user); column ids stay ascending. */
export function transpose(a: Csr): Csr {
  const indptr = new Int32Array(a.cols + 1);
  for (let k = 0; k < a.indices.length; k++) indptr[a.indices[k]! + 1]!++;
  for (let c = 0; c < a.cols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, a.cols);
  const indices = new Int32Array(a.indices.length);
  const data = new Float64Array(a.indices.length);
  for (let r = 0; r < a.rows; r++) {
    for (let k = a.indptr[r]!; k < a.indptr[r + 1]!; k++) {
      const at = fill[a.indices[k]!]!++;
      indices[at] = r;
      data[at] = a.data[k]!;
    }
  }
  return { indptr, indices, data, rows: a.cols, cols: a.rows };
}

/**
 * Keeps the best `k` of `count` candidate ids by score (higher first, ties to the lower id) using
 * a bounded min-heap; writes them sorted into `out` and returns how many were written.
 */
export function selectTop(candidates: Int32Array, count: number, score: Float64Array, k: number, out: Int32Array): number {
  let size = 0;
  // heap[0] is the worst kept candidate; "worse" = lower score, or equal score and higher id.
  const worse = (a: number, b: number): boolean => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  const heap = out;
  for (let c = 0; c < count; c++) {
    const id = candidates[c]!;
    if (size < k) {
      let pos = size++;
      heap[pos] = id;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(heap[pos]!, heap[parent]!)) break;
        const t = heap[pos]!;
        heap[pos] = heap[parent]!;
        heap[parent] = t;
        pos = parent;
      }
    } else if (k > 0 && worse(heap[0]!, id)) {
      heap[0] = id;
      siftDown(heap, size, worse);
    }
  }
  // Heap-sort in place: moving the worst to the end each time leaves the best first.
  for (let end = size - 1; end > 0; end--) {
    const t = heap[0]!;
    heap[0] = heap[end]!;
    heap[end] = t;
    siftDown(heap, end, worse);
  }
  return size;
}

/** Restores the min-heap order of heap[0..size) after heap[0] changed, moving it down past worse children. */
function siftDown(heap: Int32Array, size: number, worse: (a: number, b: number) => boolean): void {
  let pos = 0;
  for (;;) {
    const l = 2 * pos + 1;
    const r = l + 1;
    let m = pos;
    if (l < size && worse(heap[l]!, heap[m]!)) m = l;
    if (r < size && worse(heap[r]!, heap[m]!)) m = r;
    if (m === pos) break;
    const t = heap[pos]!;
    heap[pos] = heap[m]!;
    heap[m] = t;
    pos = m;
  }
}

function resolveOptions(options: ItemItemOptions): Required<ItemItemOptions> {
  const resolved: Required<ItemItemOptions> = {
    weighting: options.weighting ?? 'binary',
    alpha: options.alpha ?? 0.5,
    shrinkage: options.shrinkage ?? 0,
    neighbours: options.neighbours ?? 20,
    maxHistory: options.maxHistory ?? 500,
  };
  const { alpha, shrinkage, neighbours, maxHistory } = resolved;
  if (!(alpha >= 0 && alpha <= 1)) throw new KernelInputError('option', `alpha must be in [0, 1]; got ${alpha}.`);
  if (!(shrinkage >= 0) || !Number.isFinite(shrinkage)) {
    throw new KernelInputError('option', `shrinkage must be a finite number ≥ 0; got ${shrinkage}.`);
  }
  if (!Number.isInteger(neighbours) || neighbours < 1) {
    throw new KernelInputError('option', `neighbours must be an integer ≥ 1; got ${neighbours}.`);
  }
  if (!Number.isInteger(maxHistory) || maxHistory < 1) {
    throw new KernelInputError('option', `maxHistory must be an integer ≥ 1; got ${maxHistory}.`);
  }
  return resolved;
}

/** Fits the item-item model described in the file header. */
export function fitItemItem(x: Interactions, options: ItemItemOptions = {}): ItemItemModel {
  const opts = resolveOptions(options);
  const userItems = buildUserItems(x);
  const { nItems } = x;
  const { capped, cappedUsers } = cappedWeights(userItems, opts);
  const itemUsers = transpose(capped);
  const norm = new Float64Array(nItems);
  for (let k = 0; k < capped.data.length; k++) norm[capped.indices[k]!]! += capped.data[k]! * capped.data[k]!;

  const popularity = new Float64Array(nItems);
  for (let k = 0; k < userItems.indices.length; k++) popularity[userItems.indices[k]!]!++;
  const allItems = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) allItems[i] = i;
  const popularOrder = new Int32Array(nItems);
  selectTop(allItems, nItems, popularity, nItems, popularOrder);
  return {
    userItems,
    neighbours: topNeighbours(capped, itemUsers, norm, opts),
    popularity,
    popularOrder,
    options: opts,
    cappedUsers,
  };
}

/**
 * The weighted user × item matrix the similarity reads: r_ui per stored entry, each history
 * longer than maxHistory cut to its maxHistory most-bought items (ties: lower item id).
 */
function cappedWeights(userItems: Csr, opts: Required<ItemItemOptions>): { capped: Csr; cappedUsers: number } {
  const { rows, cols, indptr, indices, data } = userItems;
  const { maxHistory } = opts;
  const capPtr = new Int32Array(rows + 1);
  let kept = 0;
  let cappedUsers = 0;
  for (let u = 0; u < rows; u++) {
    const len = indptr[u + 1]! - indptr[u]!;
    if (len > maxHistory) cappedUsers++;
    kept += Math.min(len, maxHistory);
    capPtr[u + 1] = kept;
  }
  const capIdx = new Int32Array(kept);
  const capVal = new Float64Array(kept);
  const binary = opts.weighting === 'binary';
  let order = new Int32Array(0);
  for (let u = 0; u < rows; u++) {
    const start = indptr[u]!;
    const end = indptr[u + 1]!;
    let at = capPtr[u]!;
    if (end - start <= maxHistory) {
      for (let k = start; k < end; k++, at++) {
        capIdx[at] = indices[k]!;
        capVal[at] = binary ? 1 : Math.log1p(data[k]!);
      }
      continue;
    }
    // The most-bought maxHistory entries, then back in stored (ascending item) order.
    if (order.length < end - start) order = new Int32Array(end - start);
    const ks = order.subarray(0, end - start);
    for (let p = 0; p < ks.length; p++) ks[p] = start + p;
    ks.sort((a, b) => data[b]! - data[a]! || indices[a]! - indices[b]!);
    const top = ks.subarray(0, maxHistory).sort();
    for (let p = 0; p < top.length; p++, at++) {
      capIdx[at] = indices[top[p]!]!;
      capVal[at] = binary ? 1 : Math.log1p(data[top[p]!]!);
    }
  }
  return { capped: { indptr: capPtr, indices: capIdx, data: capVal, rows, cols }, cappedUsers };
}

/**
 * Each item's `neighbours` most similar items (sim(i → j) as in the file header; highest
 * first, ties to the lower id). Sparse: row i accumulates c_ij only over the users who bought
 * i and the items they bought (Σ_u |history_u|² in all, no item × item matrix), then keeps the
 * best K in a bounded heap of parallel typed arrays.
 */
function topNeighbours(capped: Csr, itemUsers: Csr, norm: Float64Array, opts: Required<ItemItemOptions>): Csr {
  const nItems = capped.cols;
  const K = Math.min(opts.neighbours, Math.max(nItems - 1, 0));
  const { alpha, shrinkage } = opts;
  // n_i^α and n_j^(1−α) once per item: the same values the quotient would compute per pair.
  const powA = new Float64Array(nItems);
  const powB = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    powA[i] = Math.pow(norm[i]!, alpha);
    powB[i] = Math.pow(norm[i]!, 1 - alpha);
  }
  let nbIdx = new Int32Array(Math.min(nItems * K, 1 << 20));
  let nbVal = new Float64Array(nbIdx.length);
  const nbPtr = new Int32Array(nItems + 1);
  // Binary weights sum to whole numbers: an Int32 accumulator holds the same values in half the cache.
  const binary = opts.weighting === 'binary';
  const acc = binary ? new Int32Array(nItems) : new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const best = new BestK(K);
  let at = 0;
  for (let i = 0; i < nItems; i++) {
    const nTouched = acc instanceof Int32Array ? countRow(i, itemUsers, capped, acc, touched) : weighRow(i, itemUsers, capped, acc, touched);
    const ni = powA[i]!;
    best.reset();
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t]!;
      const c = acc[j]!;
      acc[j] = 0;
      if (j !== i) best.offer(j, c / (ni * powB[j]! + shrinkage));
    }
    const size = best.finish();
    if (at + size > nbIdx.length) {
      const grown = Math.min(Math.max(nbIdx.length * 2, at + size), nItems * K);
      const idx = new Int32Array(grown);
      const val = new Float64Array(grown);
      idx.set(nbIdx.subarray(0, at));
      val.set(nbVal.subarray(0, at));
      nbIdx = idx;
      nbVal = val;
    }
    nbIdx.set(best.ids.subarray(0, size), at);
    nbVal.set(best.scores.subarray(0, size), at);
    at += size;
    nbPtr[i + 1] = at;
  }
  return { indptr: nbPtr, indices: nbIdx.slice(0, at), data: nbVal.slice(0, at), rows: nItems, cols: nItems };
}

/**
 * c_ij of row i for binary weights: adds 1 to acc[j] for each user of i and item j of theirs,
 * listing each j first reached in `touched` (returns how many); j = i is counted too.
 */
function countRow(i: number, itemUsers: Csr, capped: Csr, acc: Int32Array, touched: Int32Array): number {
  const { indptr: uPtr, indices: uIdx } = itemUsers;
  const { indptr: cPtr, indices: cIdx } = capped;
  let nTouched = 0;
  for (let p = uPtr[i]!, pEnd = uPtr[i + 1]!; p < pEnd; p++) {
    const u = uIdx[p]!;
    for (let q = cPtr[u]!, end = cPtr[u + 1]!; q < end; q++) {
      const j = cIdx[q]!;
      const a = acc[j]!;
      if (a === 0) touched[nTouched++] = j;
      acc[j] = a + 1;
    }
  }
  return nTouched;
}

/** c_ij of row i for real weights r_ui r_uj, in the order of countRow (users ascending, then items). */
function weighRow(i: number, itemUsers: Csr, capped: Csr, acc: Float64Array, touched: Int32Array): number {
  const { indptr: uPtr, indices: uIdx, data: uVal } = itemUsers;
  const { indptr: cPtr, indices: cIdx, data: cVal } = capped;
  let nTouched = 0;
  for (let p = uPtr[i]!, pEnd = uPtr[i + 1]!; p < pEnd; p++) {
    const u = uIdx[p]!;
    const rui = uVal[p]!;
    for (let q = cPtr[u]!, end = cPtr[u + 1]!; q < end; q++) {
      const j = cIdx[q]!;
      // Every weight is > 0, so an accumulator still at 0 marks an item not seen yet for i.
      if (acc[j] === 0) touched[nTouched++] = j;
      acc[j]! += rui * cVal[q]!;
    }
  }
  return nTouched;
}

/**
 * The best k of a stream of (id, score) pairs, higher score first and ties to the lower id (ids
 * are distinct, so the order is total and the result unique whatever the stream's order). Pairs
 * that beat the k-th best so far go to a buffer of 4k; a full buffer is cut back to its best k
 * by quickselect, so a long stream costs one comparison per pair and a few partitions.
 */
class BestK {
  /** Ids kept; after finish(), the best first. */
  readonly ids: Int32Array;
  /** Their scores. */
  readonly scores: Float64Array;
  private size = 0;
  private worstScore = Number.NEGATIVE_INFINITY;
  private worstId = Number.POSITIVE_INFINITY;

  /** Keeps the best `k` (k ≥ 0). */
  constructor(readonly k: number) {
    const capacity = Math.max(4 * k, 16);
    this.ids = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** Empties the selection for a new stream. */
  reset(): void {
    this.size = 0;
    this.worstScore = Number.NEGATIVE_INFINITY;
    this.worstId = Number.POSITIVE_INFINITY;
  }

  /** Offers one pair. */
  offer(id: number, score: number): void {
    if (score > this.worstScore || (score === this.worstScore && id < this.worstId)) {
      const at = this.size;
      this.ids[at] = id;
      this.scores[at] = score;
      this.size = at + 1;
      if (at + 1 === this.ids.length) this.cut();
    }
  }

  /** Sorts the best k (or all, when fewer came) to the front, best first; returns how many. */
  finish(): number {
    if (this.size > this.k) this.cut();
    sortBest(this.ids, this.scores, 0, this.size - 1);
    return this.size;
  }

  /** Quickselect: moves the best k of the buffer to its front and makes the k-th the bar to beat. */
  private cut(): void {
    const { ids, scores, k } = this;
    if (k === 0) {
      this.size = 0;
      this.worstScore = Number.POSITIVE_INFINITY;
      return;
    }
    const target = k - 1;
    let lo = 0;
    let hi = this.size - 1;
    while (hi > lo) {
      partitionBest(ids, scores, lo, hi);
      const { below: b, above: a } = split;
      // [lo, b] beat the pivot, [a, hi] do not; between them sits the pivot itself.
      if (target <= b) hi = b;
      else if (target >= a) lo = a;
      else break;
    }
    this.size = k;
    this.worstScore = scores[target]!;
    this.worstId = ids[target]!;
  }
}

/** Where the last partitionBest split its range (one shared record: the partition allocates nothing). */
const split = { below: 0, above: 0 };

/**
 * Hoare-partitions entries lo..hi of parallel (id, score) arrays around their middle entry, best
 * first (higher score, ties to the lower id): afterwards [lo, split.below] beat the pivot,
 * [split.above, hi] do not, and anything between them equals it.
 */
function partitionBest(ids: Int32Array, scores: Float64Array, lo: number, hi: number): void {
  const mid = (lo + hi) >> 1;
  const pivotScore = scores[mid]!;
  const pivotId = ids[mid]!;
  let a = lo;
  let b = hi;
  while (a <= b) {
    while (scores[a]! > pivotScore || (scores[a] === pivotScore && ids[a]! < pivotId)) a++;
    while (scores[b]! < pivotScore || (scores[b] === pivotScore && ids[b]! > pivotId)) b--;
    if (a <= b) {
      const id = ids[a]!;
      const score = scores[a]!;
      ids[a] = ids[b]!;
      scores[a] = scores[b]!;
      ids[b] = id;
      scores[b] = score;
      a++;
      b--;
    }
  }
  split.below = b;
  split.above = a;
}

/** Sorts entries lo..hi of parallel (id, score) arrays best first (higher score, ties to the lower id). */
function sortBest(ids: Int32Array, scores: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    partitionBest(ids, scores, lo, hi);
    const { below: b, above: a } = split;
    // Recurse into the smaller side, loop on the larger.
    if (b - lo < hi - a) {
      sortBest(ids, scores, lo, b);
      lo = a;
    } else {
      sortBest(ids, scores, a, hi);
      hi = b;
    }
  }
  for (let p = lo + 1; p <= hi; p++) {
    const id = ids[p]!;
    const score = scores[p]!;
    let q = p - 1;
    while (q >= lo && (scores[q]! < score || (scores[q] === score && ids[q]! > id))) {
      ids[q + 1] = ids[q]!;
      scores[q + 1] = scores[q]!;
      q--;
    }
    ids[q + 1] = id;
    scores[q + 1] = score;
  }
}

/** Reusable buffers for scoring one user at a time. */
interface Scratch {
  /** Σ similarity per candidate item (0 = not reached yet). */
  acc: Float64Array;
  touched: Int32Array;
  /** The neighbour lists transposed (row j: the items whose lists hold j), built on first need. */
  reverse: Csr | null;
  /** Per item: BOUGHT and CHOSEN bits for the user being scored, cleared after each user. */
  mark: Uint8Array;
  best: BestK;
}

const BOUGHT = 1;
const CHOSEN = 2;

function makeScratch(nItems: number, n: number): Scratch {
  return {
    acc: new Float64Array(nItems),
    touched: new Int32Array(nItems),
    reverse: null,
    mark: new Uint8Array(nItems),
    best: new BestK(n),
  };
}

/** Popularity rankings within each segment (items by distinct buyers in the segment). */
interface SegmentPopularity {
  order: Map<number, Int32Array>;
  counts: Map<number, Float64Array>;
  sizes: Map<number, number>;
}

function segmentPopularity(model: ItemItemModel, segments: Int32Array): SegmentPopularity {
  const { userItems } = model;
  if (segments.length !== userItems.rows) {
    throw new KernelInputError('shape', `segments has ${segments.length} entries; expected one per user (${userItems.rows}).`);
  }
  const counts = new Map<number, Float64Array>();
  const sizes = new Map<number, number>();
  for (let u = 0; u < userItems.rows; u++) {
    const s = segments[u]!;
    if (s < 0) continue;
    let c = counts.get(s);
    if (c === undefined) {
      c = new Float64Array(userItems.cols);
      counts.set(s, c);
    }
    sizes.set(s, (sizes.get(s) ?? 0) + 1);
    for (let k = userItems.indptr[u]!; k < userItems.indptr[u + 1]!; k++) c[userItems.indices[k]!]!++;
  }
  const order = new Map<number, Int32Array>();
  const all = new Int32Array(userItems.cols);
  for (let i = 0; i < all.length; i++) all[i] = i;
  for (const [s, c] of counts) {
    const o = new Int32Array(userItems.cols);
    // Only items bought in the segment are ranked; the rest fall through to overall popularity.
    let bought = 0;
    for (let i = 0; i < c.length; i++) if (c[i]! > 0) all[bought++] = i;
    const kept = selectTop(all, bought, c, bought, o);
    order.set(s, o.slice(0, kept));
    for (let i = 0; i < all.length; i++) all[i] = i;
  }
  return { order, counts, sizes };
}

/** Writes the top-n for one history into row `row` of `out`; `history` lists item ids (duplicates allowed). */
function recommendInto(
  model: ItemItemModel,
  history: ArrayLike<number>,
  segment: number,
  seg: SegmentPopularity | null,
  scratch: Scratch,
  out: Recommendations,
  row: number,
): void {
  const { neighbours, popularity, popularOrder } = model;
  const { indptr: nbPtr, indices: nbIdx, data: nbVal } = neighbours;
  const n = out.n;
  const base = row * n;
  const { acc, touched, mark, best } = scratch;
  for (let h = 0; h < history.length; h++) mark[history[h]!] = BOUGHT;
  // Scores: Σ sim(i → j) over the history's neighbour lists, bought items left out.
  let nTouched = 0;
  for (let h = 0; h < history.length; h++) {
    const i = history[h]!;
    for (let p = nbPtr[i]!, end = nbPtr[i + 1]!; p < end; p++) {
      const j = nbIdx[p]!;
      if (mark[j] !== 0) continue;
      const a = acc[j]!;
      if (a === 0) touched[nTouched++] = j;
      acc[j] = a + nbVal[p]!;
    }
  }
  best.reset();
  for (let t = 0; t < nTouched; t++) {
    const j = touched[t]!;
    best.offer(j, acc[j]!);
    acc[j] = 0;
  }
  const kept = best.finish();
  // Reasons for the kept items only, from the lists that name each (the reverse index): the
  // bought item with the largest term, ties to the lower id.
  if (kept > 0 && scratch.reverse === null) scratch.reverse = transpose(neighbours);
  const reverse = scratch.reverse;
  for (let slot = 0; slot < kept; slot++) {
    const j = best.ids[slot]!;
    let because = -1;
    let term = 0;
    if (reverse !== null) {
      for (let p = reverse.indptr[j]!, end = reverse.indptr[j + 1]!; p < end; p++) {
        const i = reverse.indices[p]!;
        if (mark[i] !== BOUGHT) continue;
        const s = reverse.data[p]!;
        if (because === -1 || s > term || (s === term && i < because)) {
          because = i;
          term = s;
        }
      }
    }
    out.items[base + slot] = j;
    out.scores[base + slot] = best.scores[slot]!;
    out.reasons[base + slot] = because;
    out.sources[base + slot] = 0;
  }
  for (let slot = 0; slot < kept; slot++) mark[best.ids[slot]!] = CHOSEN;
  let slot = kept;
  const users = Math.max(model.userItems.rows, 1);
  const fillFrom = (order: Int32Array, counts: Float64Array, size: number, source: number): void => {
    for (let p = 0; p < order.length && slot < n; p++) {
      const j = order[p]!;
      if (mark[j] !== 0 || counts[j] === 0) continue;
      out.items[base + slot] = j;
      out.scores[base + slot] = counts[j]! / size;
      out.reasons[base + slot] = -1;
      out.sources[base + slot] = source;
      mark[j] = CHOSEN;
      slot++;
    }
  };
  if (seg !== null && segment >= 0) {
    const order = seg.order.get(segment);
    const counts = seg.counts.get(segment);
    const size = seg.sizes.get(segment);
    if (order !== undefined && counts !== undefined && size !== undefined) fillFrom(order, counts, size, 2);
  }
  fillFrom(popularOrder, popularity, users, 1);
  for (let s = 0; s < slot; s++) mark[out.items[base + s]!] = 0;
  for (let h = 0; h < history.length; h++) mark[history[h]!] = 0;
  for (; slot < n; slot++) {
    out.items[base + slot] = -1;
    out.scores[base + slot] = 0;
    out.reasons[base + slot] = -1;
    out.sources[base + slot] = 255;
  }
}

function emptyRecommendations(users: number, n: number): Recommendations {
  return {
    n,
    users,
    items: new Int32Array(users * n),
    scores: new Float64Array(users * n),
    reasons: new Int32Array(users * n),
    sources: new Uint8Array(users * n),
  };
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new KernelInputError('option', `n must be an integer ≥ 1; got ${n}.`);
}

/** Top-n for every training user (row u = user u), excluding what each bought. */
export function recommendAll(model: ItemItemModel, options: RecommendOptions = {}): Recommendations {
  const n = options.n ?? 10;
  checkN(n);
  const { userItems } = model;
  const seg = options.segments ? segmentPopularity(model, options.segments) : null;
  const out = emptyRecommendations(userItems.rows, n);
  const scratch = makeScratch(userItems.cols, n);
  for (let u = 0; u < userItems.rows; u++) {
    const history = userItems.indices.subarray(userItems.indptr[u]!, userItems.indptr[u + 1]!);
    recommendInto(model, history, options.segments ? options.segments[u]! : -1, seg, scratch, out, u);
  }
  return out;
}

/**
 * Top-n for new customers given their histories (item ids; may be empty for a cold start) and,
 * optionally, their segments; segment popularity is taken from the training users' segments
 * given in `trainingSegments`.
 */
export function recommendFor(
  model: ItemItemModel,
  histories: readonly ArrayLike<number>[],
  options: { n?: number; segments?: ArrayLike<number>; trainingSegments?: Int32Array } = {},
): Recommendations {
  const n = options.n ?? 10;
  checkN(n);
  const nItems = model.userItems.cols;
  histories.forEach((h, u) => {
    for (let k = 0; k < h.length; k++) {
      const i = h[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= nItems) {
        throw new KernelInputError('range', `History ${u} has item id ${String(i)}, outside 0..${nItems - 1}.`, u);
      }
    }
  });
  const seg = options.trainingSegments ? segmentPopularity(model, options.trainingSegments) : null;
  const out = emptyRecommendations(histories.length, n);
  const scratch = makeScratch(nItems, n);
  histories.forEach((h, u) => {
    recommendInto(model, h, options.segments ? options.segments[u]! : -1, seg, scratch, out, u);
  });
  return out;
}

/** Top-n by overall popularity alone, excluding what each user bought (the baseline). */
export function recommendPopular(model: ItemItemModel, options: { n?: number } = {}): Recommendations {
  const n = options.n ?? 10;
  checkN(n);
  const { userItems, popularity, popularOrder } = model;
  const out = emptyRecommendations(userItems.rows, n);
  const bought = new Int32Array(userItems.cols).fill(-1);
  const users = Math.max(userItems.rows, 1);
  for (let u = 0; u < userItems.rows; u++) {
    for (let k = userItems.indptr[u]!; k < userItems.indptr[u + 1]!; k++) bought[userItems.indices[k]!] = u;
    let slot = 0;
    for (let p = 0; p < popularOrder.length && slot < n; p++) {
      const j = popularOrder[p]!;
      if (bought[j] === u || popularity[j] === 0) continue;
      out.items[u * n + slot] = j;
      out.scores[u * n + slot] = popularity[j]! / users;
      out.reasons[u * n + slot] = -1;
      out.sources[u * n + slot] = 1;
      slot++;
    }
    for (; slot < n; slot++) {
      out.items[u * n + slot] = -1;
      out.reasons[u * n + slot] = -1;
      out.sources[u * n + slot] = 255;
    }
  }
  return out;
}

/** A train/test split for offline evaluation. */
export interface HoldoutSplit {
  /** Interactions used for fitting (all events except the held-out ones). */
  train: Interactions;
  /** Users evaluated, ascending. */
  evalUsers: Int32Array;
  /** Held-out items of evalUsers[e] are heldOut.indices[heldOut.indptr[e] .. heldOut.indptr[e+1]). */
  heldOut: { indptr: Int32Array; indices: Int32Array };
  /** How the split was made, in words (for reports). */
  description: string;
}

/**
 * Leave-last-basket-out: for each user with at least two baskets, the basket with the largest
 * `basketTime` (ties: larger basket id) is held out, and its target items are its distinct items
 * the user had not bought in earlier baskets — the only ones a recommender that excludes bought
 * items can hit. Users with one basket, or whose last basket holds only repeats, stay wholly in
 * training and are not evaluated. Other users' full histories stay in training.
 */
export function splitLastBasket(
  x: Interactions & { baskets: Int32Array; basketTimes: Float64Array },
): HoldoutSplit {
  const { users, items, baskets, basketTimes, nUsers } = x;
  const m = users.length;
  if (baskets.length !== m || basketTimes.length !== m || items.length !== m) {
    throw new KernelInputError('shape', 'users, items, baskets and basketTimes must have the same length.');
  }
  const lastTime = new Float64Array(nUsers).fill(Number.NEGATIVE_INFINITY);
  const lastBasket = new Int32Array(nUsers).fill(-1);
  for (let k = 0; k < m; k++) {
    const u = users[k]!;
    const t = basketTimes[k]!;
    if (!Number.isFinite(t)) throw new KernelInputError('not-finite', `Basket time at row ${k} is ${String(t)}.`, k);
    if (t > lastTime[u]! || (t === lastTime[u] && baskets[k]! > lastBasket[u]!)) {
      lastTime[u] = t;
      lastBasket[u] = baskets[k]!;
    }
  }
  const otherBasket = new Uint8Array(nUsers);
  for (let k = 0; k < m; k++) if (baskets[k] !== lastBasket[users[k]!]) otherBasket[users[k]!] = 1;
  const inLast = (k: number): boolean => otherBasket[users[k]!] === 1 && baskets[k] === lastBasket[users[k]!];
  const earlier = buildUserItems(keepRows(x, (k) => !inLast(k)));
  const targets = new Map<number, Set<number>>();
  for (let k = 0; k < m; k++) {
    if (!inLast(k)) continue;
    const u = users[k]!;
    const i = items[k]!;
    if (hasItem(earlier, u, i)) continue;
    let set = targets.get(u);
    if (set === undefined) {
      set = new Set();
      targets.set(u, set);
    }
    set.add(i);
  }
  // A last basket of repeats only has nothing to predict: it stays in training like any other.
  const train = keepRows(x, (k) => !(inLast(k) && targets.has(users[k]!)));
  return finishSplit(train, targets, 'last basket of each customer with ≥ 2 baskets; targets = its products not bought before');
}

/** How to hold purchases out for the offline evaluation. */
export type HoldoutMode = 'last-basket' | 'random-item' | 'none';

/**
 * The holdout split of `mode` (null for 'none'): last-basket reads `baskets` and `times` (one
 * per interaction), random-item draws `seed()` (called only then).
 */
export function holdoutSplit(mode: HoldoutMode, x: Interactions, baskets: ArrayLike<number>, times: ArrayLike<number>, seed: () => number): HoldoutSplit | null {
  switch (mode) {
    case 'last-basket':
      return splitLastBasket({ ...x, baskets: Int32Array.from(baskets), basketTimes: Float64Array.from(times) });
    case 'random-item':
      return splitRandomItem(x, seed());
    case 'none':
      return null;
    default:
      return assertNever(mode);
  }
}

/**
 * Leave-one-item-out for data without time order (e.g. Groceries baskets, each basket one
 * "user"): every user with at least two distinct items has one of them, drawn uniformly with the
 * seeded RNG, held out (all its events removed from training); the rest is the history.
 */
export function splitRandomItem(x: Interactions, seed: number): HoldoutSplit {
  const all = buildUserItems(x);
  const rng = createRng(deriveSeed(seed, 'holdout-random-item'));
  const held = new Int32Array(x.nUsers).fill(-1);
  for (let u = 0; u < x.nUsers; u++) {
    const len = all.indptr[u + 1]! - all.indptr[u]!;
    if (len >= 2) held[u] = all.indices[all.indptr[u]! + rng.int(len)]!;
  }
  const train = keepRows(x, (k) => held[x.users[k]!] !== x.items[k]);
  const targets = new Map<number, Set<number>>();
  for (let u = 0; u < x.nUsers; u++) if (held[u]! >= 0) targets.set(u, new Set([held[u]!]));
  return finishSplit(train, targets, 'one random item from each basket with ≥ 2 distinct items (seeded)');
}

function keepRows(x: Interactions, keep: (k: number) => boolean): Interactions {
  const m = x.users.length;
  const rows = new Int32Array(m);
  let kept = 0;
  for (let k = 0; k < m; k++) if (keep(k)) rows[kept++] = k;
  const users = new Int32Array(kept);
  const items = new Int32Array(kept);
  for (let r = 0; r < kept; r++) {
    users[r] = x.users[rows[r]!]!;
    items[r] = x.items[rows[r]!]!;
  }
  const counts = x.counts;
  let keptCounts: Float64Array | undefined;
  if (counts !== undefined) {
    keptCounts = new Float64Array(kept);
    for (let r = 0; r < kept; r++) keptCounts[r] = counts[rows[r]!]!;
  }
  return { users, items, counts: keptCounts, nUsers: x.nUsers, nItems: x.nItems };
}

function hasItem(a: Csr, u: number, i: number): boolean {
  for (let k = a.indptr[u]!; k < a.indptr[u + 1]!; k++) if (a.indices[k] === i) return true;
  return false;
}

function finishSplit(train: Interactions, targets: Map<number, Set<number>>, description: string): HoldoutSplit {
  const evalUsers = Int32Array.from([...targets.keys()].sort((a, b) => a - b));
  const indptr = new Int32Array(evalUsers.length + 1);
  const indices: number[] = [];
  evalUsers.forEach((u, e) => {
    const set = targets.get(u);
    if (set) indices.push(...[...set].sort((a, b) => a - b));
    indptr[e + 1] = indices.length;
  });
  return { train, evalUsers, heldOut: { indptr, indices: Int32Array.from(indices) }, description };
}

/** Ranking quality of top-N lists against held-out items. */
export interface RankingScores {
  /** Share of evaluated users with at least one held-out item in their top N. */
  hitRate: number;
  /** Mean over users of |hits in top N| / |held-out items|. */
  recall: number;
  /** Mean over users of AP@N = Σ_{k≤N} P@k · rel_k / min(|held-out|, N). */
  map: number;
}

/** Offline comparison of item-item against popularity on one split. */
export interface OfflineEvaluation {
  /** Top-N cut-off. */
  n: number;
  /** Users evaluated. */
  users: number;
  /** Held-out items in total. */
  heldOutItems: number;
  /** Item-item (with popularity fill). */
  itemItem: RankingScores;
  /** Overall popularity, bought items excluded. */
  popularity: RankingScores;
  /** itemItem.recall / popularity.recall (Infinity when the baseline recall is 0). */
  recallRatio: number;
  /** The split's description. */
  split: string;
}

/** Scores top-N lists (rows = users of `recs`) for the split's evaluated users. */
export function scoreRankings(recs: Recommendations, split: HoldoutSplit): RankingScores {
  const { evalUsers, heldOut } = split;
  const n = recs.n;
  let hits = 0;
  let recall = 0;
  let map = 0;
  for (let e = 0; e < evalUsers.length; e++) {
    const u = evalUsers[e]!;
    const start = heldOut.indptr[e]!;
    const end = heldOut.indptr[e + 1]!;
    const target = new Set(heldOut.indices.subarray(start, end));
    let found = 0;
    let ap = 0;
    for (let s = 0; s < n; s++) {
      const j = recs.items[u * n + s]!;
      if (j >= 0 && target.has(j)) {
        found++;
        ap += found / (s + 1);
      }
    }
    if (found > 0) hits++;
    recall += found / target.size;
    map += ap / Math.min(target.size, n);
  }
  const users = Math.max(evalUsers.length, 1);
  return { hitRate: hits / users, recall: recall / users, map: map / users };
}

/** Fits item-item on the split's training data and compares it with popularity at top-N. */
export function evaluateOffline(split: HoldoutSplit, options: ItemItemOptions & { n?: number } = {}): OfflineEvaluation {
  const n = options.n ?? 10;
  checkN(n);
  if (split.evalUsers.length === 0) {
    throw new KernelInputError('empty', 'No user qualifies for offline evaluation (each needs a history and a held-out item).');
  }
  const model = fitItemItem(split.train, options);
  const itemItem = scoreRankings(recommendAll(model, { n }), split);
  const popularity = scoreRankings(recommendPopular(model, { n }), split);
  return {
    n,
    users: split.evalUsers.length,
    heldOutItems: split.heldOut.indices.length,
    itemItem,
    popularity,
    recallRatio: popularity.recall > 0 ? itemItem.recall / popularity.recall : Number.POSITIVE_INFINITY,
    split: split.description,
  };
}
