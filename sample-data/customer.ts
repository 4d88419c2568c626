/**
 * Simulation of one customer: their archetype and personal parameters, week-by-week
 * browsing sessions (search, click, view, cart), orders and returns, and the ground truth
 * of the horizon after the cutoff. Emits rows through a small interface and knows nothing
 * of CSV, dirt or files.
 */
import { createRng, deriveSeed, type Rng } from '../src/ml/random.ts';
import { DAY_SECONDS } from './csv-text.ts';
import { assertNever } from './dirt.ts';
import { drawPerson, type Person } from './people.ts';
import { ARCHETYPES, BEHAVIOUR, CATEGORIES, HOUR_WEIGHTS, type ArchetypeSpec, type Catalogue } from './world.ts';

/** Seconds in a week. */
export const WEEK_SECONDS = 7 * DAY_SECONDS;
/** Sessions do not start in the last three hours before the cutoff, so none runs past it. */
const SESSION_GUARD = 3 * 3600;
/** A session starting within this many seconds of the previous one's end is moved after it. */
const SESSION_GAP = 600;

/** The kinds of browsing event. */
export type EventName = 'view' | 'search' | 'click' | 'cart';

/** One order line or return line, before formatting. */
export interface TxRow {
  /** Seconds after the observed start. */
  t: number;
  /** Insertion order, to keep the time sort stable. */
  order: number;
  /** Invoice id ("C"-prefixed for returns). */
  invoice: string;
  /** Product index into the catalogue. */
  product: number;
  /** Quantity, negative for returns. */
  quantity: number;
}

/** Where a simulated customer's rows go. */
export interface CustomerRows {
  /** The customer's own record; `signupDay` counts days from 1970-01-01. */
  customer(person: Person, signupDay: number): void;
  /** One browsing event at `t` seconds after the observed start. */
  event(t: number, event: EventName, product: number): void;
  /** One order or return line (called in time order, after all events). */
  transaction(row: TxRow): void;
}

/** Constants of one generation that every customer shares. */
export interface SimulationWorld {
  /** Generation seed. */
  seed: number;
  /** Observed weeks. */
  weeks: number;
  /** Horizon weeks after the cutoff. */
  horizonWeeks: number;
  /** Epoch day of the observed start. */
  startDay: number;
  /** The product catalogue. */
  catalogue: Catalogue;
  /** Cumulative product choice per archetype and category (productChoiceTables). */
  choice: Float64Array[][];
  /** Cumulative archetype shares. */
  archetypeCumulative: readonly number[];
  /** Invoice counter shared across customers (next free number). */
  invoices: { next: number };
}

/** Ground truth of one customer. */
export interface CustomerTruth {
  /** Archetype name. */
  archetype: string;
  /** True probability of at least one order in the horizon, rounded to 6 decimals. */
  probability: number;
  /** Realised label: 1 when the customer ordered in the horizon. */
  purchased: 0 | 1;
}

/** Inputs of the horizon purchase probability, all known at the cutoff. */
export interface HorizonState {
  /** Latent session rate per week at the cutoff. */
  sessionRate: number;
  /** Probability that a session ends in an order (cart rate × conversion rate). */
  orderPerSession: number;
  /** Σ over observed product views of exp(−age in days / excitationDays). */
  excitation: number;
  /** Carts abandoned in the last `abandonedDays` days before the cutoff. */
  abandonedCarts: number;
}

/**
 * Probability of at least one order in the horizon: 1 − exp(−h) · (1 − r)^A with hazard
 * h = latentWeight · horizonWeeks · sessionRate · orderPerSession + viewExcitation ·
 * excitation, and each of the A recently abandoned carts bringing the customer back with
 * probability r = abandonedCartReturn.
 */
export function horizonProbability(state: HorizonState, horizonWeeks: number): number {
  const hazard =
    BEHAVIOUR.latentWeight * horizonWeeks * state.sessionRate * state.orderPerSession + BEHAVIOUR.viewExcitation * state.excitation;
  return 1 - Math.exp(-hazard) * Math.pow(1 - BEHAVIOUR.abandonedCartReturn, state.abandonedCarts);
}

/** Poisson draw by multiplication (rates here stay below ~20). */
function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Index drawn from a cumulative distribution ending at 1. */
function drawCumulative(rng: Rng, cumulative: ArrayLike<number>): number {
  const u = rng.next();
  const n = cumulative.length;
  for (let i = 0; i < n; i++) if (u < (cumulative[i] ?? 1)) return i;
  return n - 1;
}

/** Uniform float in [lo, hi). */
function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Cumulative of the hour-of-day weights. */
const HOUR_CUMULATIVE: readonly number[] = (() => {
  const total = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
  let acc = 0;
  return HOUR_WEIGHTS.map((w) => (acc += w / total));
})();

/** A customer's personal parameters, drawn once. */
interface Profile {
  archetypeIndex: number;
  archetype: ArchetypeSpec;
  /** Mean sessions per week before shape and trend. */
  level: number;
  /** Cumulative personal category weights. */
  categories: number[];
  /** Favourite product per category. */
  favourites: number[];
  /** Log-multiplier of engagement reached at the cutoff by the late trend. */
  trend: number;
  /** Weeks over which the late trend builds up. */
  trendWeeks: number;
  /** First active second (signup for newcomers, else 0). */
  activeFrom: number;
  /** Signup date as an epoch day. */
  signupDay: number;
}

/** Draws the personal parameters of a customer. */
function drawProfile(world: SimulationWorld, rng: Rng): Profile {
  const archetypeIndex = drawCumulative(rng, world.archetypeCumulative);
  const archetype = ARCHETYPES[archetypeIndex];
  if (archetype === undefined) throw new Error(`No archetype ${archetypeIndex}`);
  const choice = world.choice[archetypeIndex] ?? [];
  const spread = BEHAVIOUR.levelSpread;
  // The −spread²/2 keeps the mean rate at the archetype's value.
  const level = archetype.sessionsPerWeek * Math.exp(spread * rng.normal() - (spread * spread) / 2);
  const weights = archetype.categoryWeights.map((w) => w * Math.exp(BEHAVIOUR.categorySpread * rng.normal()));
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  const categories = weights.map((w) => (acc += w / total));
  const favourites = world.catalogue.byCategory.map((indexes, c) => indexes[drawCumulative(rng, choice[c] ?? [1])] ?? 0);
  const { fading, rising } = BEHAVIOUR;
  const u = rng.next();
  const trend =
    u < fading.share
      ? uniform(rng, fading.range[0], fading.range[1])
      : u < fading.share + rising.share
        ? uniform(rng, rising.range[0], rising.range[1])
        : BEHAVIOUR.steadySd * rng.normal();
  const [tw0, tw1] = BEHAVIOUR.trendWeeks;
  const trendWeeks = tw0 + rng.int(tw1 - tw0 + 1);
  const cutoff = world.weeks * WEEK_SECONDS;
  let activeFrom = 0;
  let signupDay: number;
  if (archetype.shape === 'new') {
    const [lo, hi] = BEHAVIOUR.newcomerSignupWeeks;
    const weeksBefore = Math.min(world.weeks - 1, lo + rng.int(hi - lo + 1));
    activeFrom = cutoff - weeksBefore * WEEK_SECONDS + rng.int(WEEK_SECONDS);
    signupDay = world.startDay + Math.floor(activeFrom / DAY_SECONDS);
  } else {
    const [lo, hi] = archetype.tenureYears;
    signupDay = world.startDay - 1 - Math.floor(uniform(rng, lo, hi) * 365);
  }
  return { archetypeIndex, archetype, level, categories, favourites, trend, trendWeeks, activeFrom, signupDay };
}

/** Long-run engagement multiplier of the archetype's shape at `t` seconds. */
function shapeAt(profile: Profile, t: number, cutoff: number): number {
  const shape = profile.archetype.shape;
  switch (shape) {
    case 'steady':
      return 1;
    case 'lapsing': {
      const { first, last } = BEHAVIOUR.lapsing;
      const x = Math.min(1, Math.max(0, t / cutoff));
      return first * Math.pow(last / first, x);
    }
    case 'new': {
      const weeksIn = Math.max(0, (t - profile.activeFrom) / WEEK_SECONDS);
      return 1 + BEHAVIOUR.newcomerBoost.boost * Math.exp(-weeksIn / BEHAVIOUR.newcomerBoost.decayWeeks);
    }
    default:
      return assertNever(shape);
  }
}

/**
 * Simulates customer `index` (0-based) and emits their rows; returns their ground truth.
 * Behaviour and personal data draw from separate streams derived from the seed and the
 * index, so a customer is the same whatever the number of customers generated.
 */
export function simulateCustomer(world: SimulationWorld, index: number, rows: CustomerRows): CustomerTruth {
  const rng = createRng(deriveSeed(world.seed, `customer:${index}`));
  const personRng = createRng(deriveSeed(world.seed, `person:${index}`));
  const profile = drawProfile(world, rng);
  const { archetype, level, categories, favourites, trend, trendWeeks, activeFrom } = profile;
  const { catalogue, weeks } = world;
  const choice = world.choice[profile.archetypeIndex] ?? [];
  const cutoff = weeks * WEEK_SECONDS;

  rows.customer(drawPerson(personRng, archetype.age[0], archetype.age[1], 100_001 + index), profile.signupDay);

  const pickProduct = (category: number): number => {
    if (rng.next() < BEHAVIOUR.favouriteShare) return favourites[category] ?? 0;
    const indexes = catalogue.byCategory[category] ?? [];
    return indexes[drawCumulative(rng, choice[category] ?? [1])] ?? 0;
  };

  const tx: TxRow[] = [];
  const chosen: number[] = [];
  const starts: number[] = [];
  let lastEnd = Number.NEGATIVE_INFINITY;
  let excitation = 0;
  let abandonedCarts = 0;
  for (let w = Math.floor(activeFrom / WEEK_SECONDS); w < weeks; w++) {
    const weekStart = w * WEEK_SECONDS;
    // The late trend builds up linearly in log over the final trendWeeks weeks.
    const ramp = Math.min(1, Math.max(0, (w - (weeks - trendWeeks) + 1) / trendWeeks));
    const mid = Math.max(weekStart, activeFrom) + WEEK_SECONDS / 2;
    const rate = level * shapeAt(profile, mid, cutoff) * Math.exp(trend * ramp + BEHAVIOUR.weeklyJitter * rng.normal());
    const n = poisson(rng, rate);
    starts.length = 0;
    for (let s = 0; s < n; s++) {
      const day = rng.int(7);
      const hour = drawCumulative(rng, HOUR_CUMULATIVE);
      const t = weekStart + day * DAY_SECONDS + hour * 3600 + rng.int(3600);
      if (t >= activeFrom && t < cutoff - SESSION_GUARD) starts.push(t);
    }
    starts.sort((x, y) => x - y);
    for (const s0 of starts) {
      let t = Math.max(s0, lastEnd + SESSION_GAP);
      if (t >= cutoff - SESSION_GUARD) break;
      const sessionStart = t;
      const focus = drawCumulative(rng, categories);
      let views = 1;
      while (rng.next() < BEHAVIOUR.extraViews / (1 + BEHAVIOUR.extraViews)) views++;
      const basket = rng.next() < archetype.cartRate ? 1 + poisson(rng, archetype.extraBasket) : 0;
      views = Math.max(views, basket);
      // Distinct products per session, so no (event, product) pair repeats within a session.
      chosen.length = 0;
      for (let v = 0; v < views; v++) {
        let product = 0;
        for (let attempt = 0; attempt < 6; attempt++) {
          const category = rng.next() < BEHAVIOUR.focusShare ? focus : drawCumulative(rng, categories);
          product = pickProduct(category);
          if (!chosen.includes(product)) break;
        }
        if (!chosen.includes(product)) chosen.push(product);
      }
      if (rng.next() < archetype.searchRate) {
        rows.event(t, 'search', chosen[0] ?? 0);
        t += 5 + rng.int(40);
      }
      for (const product of chosen) {
        if (rng.next() < BEHAVIOUR.clickRate) {
          rows.event(t, 'click', product);
          t += 2 + rng.int(15);
        }
        rows.event(t, 'view', product);
        t += 15 + rng.int(150);
      }
      const carted = chosen.slice(0, Math.min(basket, chosen.length));
      for (const product of carted) {
        rows.event(t, 'cart', product);
        t += 5 + rng.int(60);
      }
      const ageDays = (cutoff - sessionStart) / DAY_SECONDS;
      excitation += chosen.length * Math.exp(-ageDays / BEHAVIOUR.excitationDays);
      if (carted.length > 0) {
        if (rng.next() < archetype.conversionRate) {
          t = order(world, rng, archetype, carted, t, cutoff, tx);
        } else if (ageDays <= BEHAVIOUR.abandonedDays) {
          abandonedCarts++;
        }
      }
      lastEnd = t;
    }
  }

  // Returns interleave with later orders: emit in time order.
  tx.sort((x, y) => x.t - y.t || x.order - y.order);
  for (const row of tx) rows.transaction(row);

  const probability = horizonProbability(
    {
      sessionRate: level * shapeAt(profile, cutoff, cutoff) * Math.exp(trend),
      orderPerSession: archetype.cartRate * archetype.conversionRate,
      excitation,
      abandonedCarts,
    },
    world.horizonWeeks,
  );
  // The label is drawn from the probability as written, so truth.csv is self-consistent.
  const written = Number(probability.toFixed(6));
  return { archetype: archetype.name, probability: written, purchased: rng.next() < written ? 1 : 0 };
}

/** Records an order of the carted products (and any later return); returns the order time. */
function order(world: SimulationWorld, rng: Rng, archetype: ArchetypeSpec, carted: readonly number[], t: number, cutoff: number, tx: TxRow[]): number {
  const at = t + 60 + rng.int(840);
  const invoice = String(world.invoices.next++);
  const returned: { product: number; quantity: number }[] = [];
  for (const product of carted) {
    const maxQuantity = CATEGORIES[world.catalogue.products[product]?.category ?? 0]?.maxQuantity ?? 1;
    // Product of two uniforms: most lines are a single unit, a few are several.
    const quantity = 1 + Math.floor(rng.next() * rng.next() * maxQuantity);
    tx.push({ t: at, order: tx.length, invoice, product, quantity });
    if (rng.next() < archetype.returnRate) returned.push({ product, quantity: -quantity });
  }
  if (returned.length > 0) {
    const returnAt = at + (2 + rng.int(26)) * DAY_SECONDS + rng.int(DAY_SECONDS);
    const returnInvoice = `C${world.invoices.next++}`;
    // A return after the cutoff belongs to the unobserved horizon and is not written.
    if (returnAt < cutoff) for (const r of returned) tx.push({ t: returnAt, order: tx.length, invoice: returnInvoice, ...r });
  }
  return at;
}
