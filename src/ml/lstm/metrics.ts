/** The few metrics the training loop reports per epoch, on typed arrays. */

/** Scratch for rocAuc, grown as needed: the per-epoch metrics allocate nothing once it fits. */
let sortedScratch = new Float32Array(0);
let positiveScratch = new Float32Array(0);

/**
 * ROC AUC by the rank-sum (Mann–Whitney) formula, ties given their average rank.
 * NaN when either class is absent.
 *
 * Ranks come from a plain numeric sort of the scores (no comparator, no index array) and of
 * the positives' scores: each run of equal scores adds (positives in it) × (its average rank).
 * The rank sum is a sum of halves far below 2^53, so it is exact and the result is the very
 * number a per-row sum gives. Scores holding NaN (which equals nothing) take the per-row path.
 */
export function rocAuc(scores: Float32Array, labels: Float32Array): number {
  const n = scores.length;
  if (sortedScratch.length < n) {
    sortedScratch = new Float32Array(n);
    positiveScratch = new Float32Array(n);
  }
  const sorted = sortedScratch.subarray(0, n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    if (s !== s) return rocAucByRows(scores, labels);
    sorted[i] = s;
    if ((labels[i] as number) >= 0.5) positiveScratch[positives++] = s;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  sorted.sort();
  const pos = positiveScratch.subarray(0, positives).sort();
  let rankSum = 0;
  let p = 0;
  let i = 0;
  while (i < n) {
    const v = sorted[i] as number;
    let j = i;
    while (j + 1 < n && sorted[j + 1] === v) j++;
    let inRun = 0;
    while (p < positives && pos[p] === v) {
      p++;
      inRun++;
    }
    rankSum += inRun * ((i + j) / 2 + 1);
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** rocAuc row by row over an index sort (the definition; used when a score is NaN). */
export function rocAucByRows(scores: Float32Array, labels: Float32Array): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[order[k] as number] as number) >= 0.5) {
        positives++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Share of rows whose probability falls on the label's side of 0.5. */
export function accuracy(probs: Float32Array, labels: Float32Array): number {
  if (probs.length === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < probs.length; i++) if ((probs[i] as number) >= 0.5 === (labels[i] as number) >= 0.5) hits++;
  return hits / probs.length;
}

/** Mean binary cross-entropy of probabilities, clipped to [1e-7, 1 − 1e-7] as Keras does. */
export function meanBce(probs: Float32Array, labels: Float32Array): number {
  if (probs.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(Math.max(probs[i] as number, 1e-7), 1 - 1e-7);
    const y = labels[i] as number;
    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return sum / probs.length;
}
