/**
 * Seeded simulation of customers who follow BG/NBD (purchases) and Gamma-Gamma (spend) with
 * known parameters, for parameter-recovery tests and the clv bench. Each customer's first
 * purchase is at time 0; while alive they buy at rate λ ~ Gamma(r, α) and drop out after each
 * purchase with probability p ~ Beta(a, b); each value is Gamma(p_s, ν) with ν ~ Gamma(q, v).
 */
import type { BgNbdParams, PurchaseHistory } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';
import type { Rng } from './random.ts';

/** Gamma(shape, rate) draw (Marsaglia & Tsang 2000; shape < 1 boosted by U^{1/shape}). */
export function gammaDraw(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return gammaDraw(rng, shape + 1, rate) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Beta(a, b) draw from two gamma draws. */
export function betaDraw(rng: Rng, a: number, b: number): number {
  const x = gammaDraw(rng, a, 1);
  const y = gammaDraw(rng, b, 1);
  return x / (x + y);
}

/** Options of `simulateCustomers`. */
export interface SimulationOptions {
  /** Number of customers. */
  customers: number;
  /** Shortest calibration age T (time since first purchase). */
  minT: number;
  /** Longest calibration age T; each customer's T is uniform in [minT, maxT]. */
  maxT: number;
  /** Length of a holdout after each customer's T (0: none). */
  holdout?: number;
  /** Spend model; omit for purchases only. */
  spend?: GammaGammaParams;
  /** Also list every purchase (the first at 0, calibration and holdout ones), for transaction tables. */
  events?: boolean;
}

/** Every simulated purchase: customer index, time since that customer's first purchase, value. */
export interface SimulatedEvents {
  /** Customer index per purchase. */
  customer: number[];
  /** Time since the customer's first purchase. */
  time: number[];
  /** Value (0 without a spend model). */
  value: number[];
}

/** Simulated customers: the calibration summary, holdout counts and mean repeat spend. */
export interface SimulatedCustomers extends PurchaseHistory {
  /** Purchases in (T, T + holdout]. */
  holdoutFrequency: Float64Array;
  /** Mean value of the repeat purchases in calibration (0 when frequency is 0). */
  monetary: Float64Array;
  /** Each customer's true purchase rate λ. */
  lambda: Float64Array;
  /** Each customer's true dropout probability p. */
  dropout: Float64Array;
  /** Whether each customer is still alive at T. */
  aliveAtT: Uint8Array;
  /** Every purchase, when asked for. */
  events: SimulatedEvents | null;
}

/** Simulates customers with known BG/NBD (and optionally Gamma-Gamma) parameters. */
export function simulateCustomers(params: BgNbdParams, options: SimulationOptions, rng: Rng): SimulatedCustomers {
  const n = options.customers;
  const holdout = options.holdout ?? 0;
  const out: SimulatedCustomers = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    holdoutFrequency: new Float64Array(n),
    monetary: new Float64Array(n),
    lambda: new Float64Array(n),
    dropout: new Float64Array(n),
    aliveAtT: new Uint8Array(n),
    events: options.events ? { customer: [], time: [], value: [] } : null,
  };
  const ev = out.events;
  for (let i = 0; i < n; i++) {
    const lambda = gammaDraw(rng, params.r, params.alpha);
    const p = betaDraw(rng, params.a, params.b);
    const T = options.minT + (options.maxT - options.minT) * rng.next();
    const nu = options.spend ? gammaDraw(rng, options.spend.q, options.spend.v) : 0;
    let t = 0;
    let x = 0;
    let last = 0;
    let later = 0;
    let spend = 0;
    let alive = true;
    if (ev) {
      ev.customer.push(i);
      ev.time.push(0);
      ev.value.push(options.spend ? gammaDraw(rng, options.spend.p, nu) : 0);
    }
    // The first purchase (at 0) cannot be followed by a dropout before it; each later one can.
    for (;;) {
      let u = rng.next();
      while (u === 0) u = rng.next();
      t += -Math.log(u) / lambda;
      if (t > T + holdout) break;
      const value = options.spend ? gammaDraw(rng, options.spend.p, nu) : 0;
      if (t <= T) {
        x++;
        last = t;
        spend += value;
      } else later++;
      if (ev) {
        ev.customer.push(i);
        ev.time.push(t);
        ev.value.push(value);
      }
      if (rng.next() < p) {
        alive = t > T;
        break;
      }
    }
    out.frequency[i] = x;
    out.recency[i] = last;
    out.T[i] = T;
    out.holdoutFrequency[i] = later;
    out.monetary[i] = x > 0 ? spend / x : 0;
    out.lambda[i] = lambda;
    out.dropout[i] = p;
    out.aliveAtT[i] = alive ? 1 : 0;
  }
  return out;
}
