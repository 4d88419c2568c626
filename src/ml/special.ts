/**
 * Special functions the purchase models need: log Γ, digamma and the Gauss hypergeometric
 * function ₂F₁(a, b; c; z) on 0 ≤ z < 1, returned as a sign and a log-magnitude so that the
 * large values BG/NBD meets for frequent buyers never overflow.
 */

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes / Godfrey): ~1e-15 relative for x > 0.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Natural log of |Γ(x)|; reflection below 0.5. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Digamma ψ(x) = d/dx log Γ(x), for x > 0: recurrence up to 6, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  let v = x;
  while (v < 6) {
    result -= 1 / v;
    v += 1;
  }
  const inv = 1 / v;
  const inv2 = inv * inv;
  // ln v − 1/(2v) − Σ B₂ₖ/(2k v²ᵏ)
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return result + Math.log(v) - 0.5 * inv - series;
}

/** A real number as sign and natural log of its magnitude (sign 0 for exactly zero). */
export interface SignedLog {
  /** −1, 0 or 1. */
  sign: number;
  /** log |value| (−Infinity for zero). */
  log: number;
}

const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);

/**
 * ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series Σ (a)ₖ(b)ₖ/((c)ₖ k!) zᵏ, summed with
 * rescaling so that neither the terms nor the sum overflow; the tail is bounded as a geometric
 * series once the term ratio has fallen below 1. c must not be 0 or a negative integer.
 * Returns sign 0 and log NaN when the series has not converged within `maxTerms`.
 */
export function hyp2f1Log(a: number, b: number, c: number, z: number, maxTerms = 1_000_000): SignedLog {
  if (!(z >= 0 && z < 1)) return { sign: 0, log: Number.NaN };
  if (z === 0) return { sign: 1, log: 0 };
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < maxTerms; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    if (Math.abs(sum) > RESCALE || Math.abs(term) > RESCALE) {
      sum /= RESCALE;
      term /= RESCALE;
      logScale += LOG_RESCALE;
    }
    if (term === 0) return signedLog(sum, logScale);
    // The tail is at most term·ρ/(1−ρ) when every later ratio is at most ρ < 1.
    // Past k > |a| + |b| + |c| the ratio moves monotonically towards z, so max(ratio, z) bounds it.
    const rho = Math.max(Math.abs(ratio), z);
    if (k > Math.abs(a) + Math.abs(b) + Math.abs(c) && Math.abs(term) * rho <= 1e-17 * (1 - rho) * Math.abs(sum)) return signedLog(sum, logScale);
  }
  return { sign: 0, log: Number.NaN };
}

function signedLog(value: number, logScale: number): SignedLog {
  if (value === 0) return { sign: 0, log: Number.NEGATIVE_INFINITY };
  return { sign: value > 0 ? 1 : -1, log: Math.log(Math.abs(value)) + logScale };
}
