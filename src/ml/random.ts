/**
 * Seeded pseudo-random numbers. Every random choice in the studio (initialisers, shuffles,
 * k-means seeds, samples, simulated data) draws from one of these so that a pipeline with
 * the same seed gives the same numbers everywhere.
 */

/** A seeded random source; all methods advance the same stream. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box–Muller). */
  normal(): number;
  /** A 32-bit unsigned integer, e.g. to seed a child stream or TensorFlow.js initialisers. */
  uint32(): number;
  /** Fisher–Yates shuffle of the array in place; returns it. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this one and a label. */
  fork(label: string): Rng;
}

/** FNV-1a 32-bit hash of a string; used to derive seeds from labels such as node ids. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes a seed and a label into a new 32-bit seed (splitmix-style finaliser). */
export function deriveSeed(seed: number, label: string): number {
  let z = (seed ^ hashString(label)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Creates a seeded generator (sfc32 core, seeded through splitmix32). */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up so that nearby seeds diverge.
  for (let i = 0; i < 12; i++) uint32();
  let spare: number | null = null;
  const rng: Rng = {
    next: () => uint32() / 4294967296,
    int: (n) => Math.floor((uint32() / 4294967296) * n),
    uint32,
    normal: () => {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u = 0;
      while (u === 0) u = uint32() / 4294967296;
      const v = uint32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor((uint32() / 4294967296) * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    fork: (label) => createRng(deriveSeed(uint32(), label)),
  };
  return rng;
}

/**
 * Index of the first of the `count` ascending cumulative weights that exceeds `target` (count − 1
 * when none does): with target uniform in [0, total), a draw proportional to each weight.
 */
export function firstAbove(cumulative: Float64Array, count: number, target: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
