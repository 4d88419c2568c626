/**
 * Seeded synthetic sequences with a learnable label, for benchmarks and tests: each feature
 * is an AR(1) series; the label is 1 when a score mixing a late trend, an early level and a
 * late interaction (plus noise) exceeds its ~70th percentile, so about 30% are positive and
 * an LSTM has both long- and short-range structure to find.
 */
import { createRng, deriveSeed } from '../random.ts';
import type { SequenceSet } from './types.ts';

/** Shape of the generated set. */
export interface SyntheticShape {
  /** Sequences. */
  n: number;
  /** Timesteps per sequence. */
  steps: number;
  /** Features per step (at least 4). */
  features: number;
}

/** Generates the set; same shape and seed → same numbers. */
export function syntheticSequences(shape: SyntheticShape, seed: number): SequenceSet {
  const { n, steps: T, features: D } = shape;
  if (D < 4 || T < 2) throw new Error(`syntheticSequences needs at least 4 features and 2 steps, got ${D} and ${T}.`);
  const rng = createRng(deriveSeed(seed, 'synthetic-sequences'));
  const x = new Float32Array(n * T * D);
  const score = new Float64Array(n);
  const q = Math.max(1, Math.floor(T / 3));
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) {
      let v = rng.normal();
      for (let t = 0; t < T; t++) {
        v = 0.7 * v + 0.7 * rng.normal();
        x[(i * T + t) * D + d] = v;
      }
    }
    let late = 0;
    let early = 0;
    for (let t = 0; t < q; t++) {
      late += x[(i * T + T - 1 - t) * D] as number;
      early += x[(i * T + t) * D + 1] as number;
    }
    const last = (i * T + T - 1) * D;
    score[i] = late / q - early / q + 0.8 * (x[last + 2] as number) * (x[last + 3] as number) + 0.3 * rng.normal();
  }
  const sorted = Array.from(score).sort((a, b) => a - b);
  const threshold = sorted[Math.floor(0.7 * n)] as number;
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) labels[i] = (score[i] as number) > threshold ? 1 : 0;
  return { x, n, steps: T, features: D, labels };
}
