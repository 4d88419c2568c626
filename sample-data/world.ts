/**
 * The simulated shop: its product categories, its catalogue and the customer archetypes
 * (planted segments) whose parameters drive every generated row. Pure data and small
 * builders; no I/O, so it runs in Node and in the browser alike.
 */
import type { Rng } from '../src/ml/random.ts';

/** One product category with its price level and the nouns its product names use. */
export interface CategorySpec {
  /** Display name, e.g. "Electronics". */
  name: string;
  /** Median list price in pounds. */
  medianPrice: number;
  /** Spread of log price (natural log units). */
  priceSpread: number;
  /** Largest quantity a customer puts in one order line. */
  maxQuantity: number;
  /** Nouns that, with an adjective, name the category's products. */
  nouns: readonly string[];
  /** Typical price of the category's two flagship products, when it has them (so prices from £1,000 exist). */
  flagshipPrice?: number;
}

/** The ten categories of the shop; order is the category index used everywhere. */
export const CATEGORIES: readonly CategorySpec[] = [
  { name: 'Electronics', medianPrice: 120, priceSpread: 0.8, maxQuantity: 1, flagshipPrice: 1200, nouns: ['Headphones', 'Speaker', 'Smartwatch', 'Tablet', 'Monitor', 'Keyboard', 'Webcam', 'Power Bank', 'E-Reader', 'Router', 'Earbuds', 'Charger'] },
  { name: 'Home & Kitchen', medianPrice: 35, priceSpread: 0.6, maxQuantity: 2, nouns: ['Kettle', 'Toaster', 'Pan Set', 'Knife Block', 'Blender', 'Cafetiere', 'Storage Jars', 'Cutlery Set', 'Mixing Bowls', 'Tea Towels', 'Chopping Board', 'Casserole'] },
  { name: 'Furniture', medianPrice: 240, priceSpread: 0.6, maxQuantity: 1, flagshipPrice: 1450, nouns: ['Armchair', 'Bookcase', 'Coffee Table', 'Desk', 'Sofa', 'Wardrobe', 'Bed Frame', 'Dining Chair', 'Sideboard', 'Floor Lamp', 'Ottoman', 'Shelf Unit'] },
  { name: 'Fashion', medianPrice: 28, priceSpread: 0.5, maxQuantity: 2, nouns: ['T-Shirt', 'Jeans', 'Hoodie', 'Dress', 'Trainers', 'Scarf', 'Jacket', 'Skirt', 'Cardigan', 'Socks', 'Cap', 'Belt'] },
  { name: 'Beauty', medianPrice: 16, priceSpread: 0.5, maxQuantity: 3, nouns: ['Moisturiser', 'Lip Balm', 'Serum', 'Shampoo', 'Conditioner', 'Face Mask', 'Perfume', 'Hand Cream', 'Nail Polish', 'Cleanser', 'Body Lotion', 'Eye Cream'] },
  { name: 'Sports & Outdoors', medianPrice: 45, priceSpread: 0.7, maxQuantity: 2, nouns: ['Yoga Mat', 'Water Bottle', 'Running Shorts', 'Dumbbells', 'Tent', 'Backpack', 'Cycling Gloves', 'Head Torch', 'Resistance Bands', 'Trekking Poles', 'Sleeping Bag', 'Football'] },
  { name: 'Toys & Games', medianPrice: 20, priceSpread: 0.6, maxQuantity: 2, nouns: ['Jigsaw', 'Board Game', 'Building Bricks', 'Plush Bear', 'Card Game', 'Kite', 'Puppet', 'Train Set', 'Craft Kit', 'Marble Run', 'Doll House', 'Yo-Yo'] },
  { name: 'Books', medianPrice: 11, priceSpread: 0.4, maxQuantity: 2, nouns: ['Novel', 'Cookbook', 'Atlas', 'Biography', 'Poetry Collection', 'Field Guide', 'Graphic Novel', 'Travel Guide', 'History', 'Puzzle Book', 'Journal', 'Anthology'] },
  { name: 'Grocery', medianPrice: 5, priceSpread: 0.5, maxQuantity: 6, nouns: ['Coffee Beans', 'Green Tea', 'Olive Oil', 'Pasta', 'Granola', 'Dark Chocolate', 'Honey', 'Rice', 'Hot Sauce', 'Oat Biscuits', 'Peanut Butter', 'Sparkling Water'] },
  { name: 'Health & Wellness', medianPrice: 14, priceSpread: 0.5, maxQuantity: 3, nouns: ['Vitamin C', 'Protein Powder', 'Multivitamin', 'First Aid Kit', 'Thermometer', 'Omega-3', 'Sleep Mask', 'Massage Ball', 'Fish Oil', 'Probiotic', 'Electrolytes', 'Foam Roller'] },
];

/** Adjectives that prefix product nouns; with 12 nouns they give enough distinct names. */
const ADJECTIVES = ['Classic', 'Compact', 'Deluxe', 'Essential', 'Premium', 'Eco', 'Studio', 'Everyday', 'Nordic', 'Urban', 'Heritage', 'Pro'] as const;

/** Products per category (10 categories × 20 = 200 products). */
export const PRODUCTS_PER_CATEGORY = 20;

/** One catalogue entry. */
export interface Product {
  /** Stable id such as "P0042". */
  id: string;
  /** Human-readable name, unique in the catalogue. */
  name: string;
  /** Index into CATEGORIES. */
  category: number;
  /** List price in pounds with two decimals (e.g. 24.99). */
  price: number;
  /** Popularity weight within the category (Zipf-like). */
  popularity: number;
}

/** The catalogue plus per-category lookup tables for sampling. */
export interface Catalogue {
  /** All products in id order. */
  products: Product[];
  /** Product indexes (into products) per category. */
  byCategory: number[][];
  /** Cumulative popularity per category, aligned with byCategory, ending at 1. */
  cumulative: Float64Array[];
}

/** Rounds a raw price to a shop price ending in .99 (or .49 below £3). */
function shopPrice(raw: number): number {
  if (raw < 3) return Math.max(0.49, Math.round(raw * 2) / 2 - 0.01);
  return Math.max(1, Math.round(raw)) - 0.01;
}

/** Builds the ~200-product catalogue from its own random stream. */
export function buildCatalogue(rng: Rng): Catalogue {
  const products: Product[] = [];
  const byCategory: number[][] = [];
  const cumulative: Float64Array[] = [];
  CATEGORIES.forEach((category, c) => {
    const names: string[] = [];
    for (const noun of category.nouns) for (const adjective of ADJECTIVES) names.push(`${adjective} ${noun}`);
    rng.shuffle(names);
    // Popularity ranks are shuffled so that the cheapest product is not always the favourite.
    const ranks = rng.shuffle(Array.from({ length: PRODUCTS_PER_CATEGORY }, (_, i) => i + 1));
    const indexes: number[] = [];
    let total = 0;
    for (let k = 0; k < PRODUCTS_PER_CATEGORY; k++) {
      const z = rng.normal();
      const raw = k < 2 && category.flagshipPrice !== undefined ? category.flagshipPrice * Math.exp(0.1 * z) : category.medianPrice * Math.exp(category.priceSpread * z);
      const popularity = 1 / Math.pow(ranks[k] ?? 1, 0.9);
      total += popularity;
      indexes.push(products.length);
      products.push({
        id: `P${String(products.length + 1).padStart(4, '0')}`,
        name: names[k] ?? `${category.name} ${k + 1}`,
        category: c,
        price: shopPrice(raw),
        popularity,
      });
    }
    const cum = new Float64Array(PRODUCTS_PER_CATEGORY);
    let acc = 0;
    indexes.forEach((p, k) => {
      acc += (products[p]?.popularity ?? 0) / total;
      cum[k] = acc;
    });
    cum[PRODUCTS_PER_CATEGORY - 1] = 1;
    byCategory.push(indexes);
    cumulative.push(cum);
  });
  return { products, byCategory, cumulative };
}

/** Long-run shape of a customer's engagement across the observed weeks. */
export type EngagementShape = 'steady' | 'lapsing' | 'new';

/** Parameters of one planted customer segment. */
export interface ArchetypeSpec {
  /** Stable label written to truth.csv. */
  name: string;
  /** Share of customers drawn from this archetype. */
  share: number;
  /** Mean browsing sessions per week at the archetype's steady level. */
  sessionsPerWeek: number;
  /** Probability that a session puts something in the cart. */
  cartRate: number;
  /** Probability that a session with a cart ends in an order. */
  conversionRate: number;
  /** Mean number of extra products per cart beyond the first. */
  extraBasket: number;
  /** Probability that a session starts with a search. */
  searchRate: number;
  /** Probability that an order line is returned later. */
  returnRate: number;
  /** Price sensitivity: weight multiplier exp(-priceAversion · log(price / median)). */
  priceAversion: number;
  /** Relative category weights (length = CATEGORIES.length). */
  categoryWeights: readonly number[];
  /** Long-run engagement shape. */
  shape: EngagementShape;
  /** Range of customer age in years [min, max]. */
  age: readonly [number, number];
  /** Years between signup and the observed start [min, max] (ignored for 'new'). */
  tenureYears: readonly [number, number];
}

/**
 * The six planted segments. Each has a distinct pair of leading categories and a distinct
 * recency/frequency/monetary profile, so a clustering of simple per-customer features can
 * recover them; the late-window engagement trend is drawn per customer, independently of
 * the archetype, so that it is information the totals blur.
 */
export const ARCHETYPES: readonly ArchetypeSpec[] = [
  {
    name: 'champion', share: 0.14, sessionsPerWeek: 1.9, cartRate: 0.5, conversionRate: 0.62, extraBasket: 1.2, searchRate: 0.4,
    returnRate: 0.04, priceAversion: -0.2, categoryWeights: [0.5, 0.3, 0.02, 0.03, 0.02, 0.03, 0.02, 0.04, 0.02, 0.02],
    shape: 'steady', age: [28, 55], tenureYears: [1, 6],
  },
  {
    name: 'loyal-regular', share: 0.2, sessionsPerWeek: 1.3, cartRate: 0.5, conversionRate: 0.62, extraBasket: 1.6, searchRate: 0.25,
    returnRate: 0.02, priceAversion: 0.3, categoryWeights: [0.02, 0.03, 0.01, 0.02, 0.03, 0.02, 0.03, 0.04, 0.5, 0.3],
    shape: 'steady', age: [45, 80], tenureYears: [2, 8],
  },
  {
    name: 'bargain-hunter', share: 0.18, sessionsPerWeek: 1.5, cartRate: 0.42, conversionRate: 0.46, extraBasket: 1.0, searchRate: 0.6,
    returnRate: 0.15, priceAversion: 1.2, categoryWeights: [0.02, 0.03, 0.01, 0.5, 0.04, 0.03, 0.3, 0.03, 0.02, 0.02],
    shape: 'steady', age: [18, 35], tenureYears: [0.5, 3],
  },
  {
    name: 'big-ticket', share: 0.14, sessionsPerWeek: 1.2, cartRate: 0.4, conversionRate: 0.55, extraBasket: 0.5, searchRate: 0.7,
    returnRate: 0.06, priceAversion: -0.6, categoryWeights: [0.08, 0.08, 0.7, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02],
    shape: 'steady', age: [30, 65], tenureYears: [1, 8],
  },
  {
    name: 'lapsing', share: 0.16, sessionsPerWeek: 1.1, cartRate: 0.45, conversionRate: 0.56, extraBasket: 0.8, searchRate: 0.35,
    returnRate: 0.08, priceAversion: 0.2, categoryWeights: [0.03, 0.03, 0.01, 0.04, 0.02, 0.55, 0.03, 0.25, 0.02, 0.02],
    shape: 'lapsing', age: [22, 50], tenureYears: [1, 4],
  },
  {
    name: 'newcomer', share: 0.18, sessionsPerWeek: 1.4, cartRate: 0.45, conversionRate: 0.5, extraBasket: 0.7, searchRate: 0.5,
    returnRate: 0.1, priceAversion: 0.5, categoryWeights: [0.02, 0.02, 0.01, 0.08, 0.6, 0.02, 0.02, 0.08, 0.02, 0.13],
    shape: 'new', age: [18, 40], tenureYears: [0, 0],
  },
];

/** Parameters of the behavioural model that are not per-archetype (documented in README.md). */
export const BEHAVIOUR = {
  /** Spread (sd of log) of a customer's session rate around the archetype mean. */
  levelSpread: 0.3,
  /** Spread (sd of log) of a customer's category weights around the archetype's. */
  categorySpread: 0.2,
  /** Week-to-week noise (sd of log) on the session rate. */
  weeklyJitter: 0.2,
  /** Late-window trend: share of customers whose engagement fades, and the log-multiplier range reached at the cutoff. */
  fading: { share: 0.42, range: [-2.0, -0.7] },
  /** Share of customers whose engagement rises, and the log-multiplier range reached at the cutoff. */
  rising: { share: 0.22, range: [0.5, 1.3] },
  /** Everyone else is steady: log-multiplier ~ Normal(0, sd). */
  steadySd: 0.2,
  /** The trend builds up linearly (in log) over this many final weeks, drawn per customer. */
  trendWeeks: [4, 8],
  /** Lapsing archetype: session-rate multiplier at the first and at the last observed week. */
  lapsing: { first: 2.5, last: 0.2 },
  /** Newcomers sign up this many weeks before the cutoff (inclusive range). */
  newcomerSignupWeeks: [8, 16],
  /** Newcomers' early enthusiasm: rate multiplier 1 + boost · exp(−weeks since signup / decay). */
  newcomerBoost: { boost: 2.5, decayWeeks: 3 },
  /** Probability that a product in a session comes from the session's focus category. */
  focusShare: 0.8,
  /** Probability that a customer picks their favourite product of a category. */
  favouriteShare: 0.3,
  /** Probability that a viewed product was reached by a click on a listing. */
  clickRate: 0.55,
  /** Mean number of extra products viewed in a session beyond the first. */
  extraViews: 0.8,
  /** Horizon purchase hazard: weight on the latent session rate at the cutoff (× weeks × purchase rate per session). */
  latentWeight: 0.05,
  /** Horizon purchase hazard: each observed product view adds this much, decaying with its age. */
  viewExcitation: 0.2,
  /** Decay (days) of a view's excitation. */
  excitationDays: 10,
  /** Each cart abandoned in the last `abandonedDays` days independently brings the customer back to buy with this probability. */
  abandonedCartReturn: 0.25,
  /** Window (days before the cutoff) for abandoned carts. */
  abandonedDays: 14,
} as const;

/** Relative weight of each hour of the day (UTC) for session starts: an evening peak. */
export const HOUR_WEIGHTS: readonly number[] = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2, 2.2, 2.3, 2.4, 2.8, 2.8, 2.4, 2.3, 2.4, 2.8, 3.4, 4.2, 4.8, 4.5, 3, 1.2];

/**
 * Cumulative product-choice tables per archetype and category: weight = popularity ×
 * (price / category median)^(−priceAversion), so bargain hunters lean to cheap products
 * and big-ticket buyers to dear ones.
 */
export function productChoiceTables(catalogue: Catalogue): Float64Array[][] {
  return ARCHETYPES.map((archetype) =>
    catalogue.byCategory.map((indexes, c) => {
      const median = CATEGORIES[c]?.medianPrice ?? 1;
      const weights = indexes.map((p) => {
        const product = catalogue.products[p];
        if (product === undefined) return 0;
        return product.popularity * Math.pow(product.price / median, -archetype.priceAversion);
      });
      const total = weights.reduce((a, b) => a + b, 0);
      const cum = new Float64Array(weights.length);
      let acc = 0;
      weights.forEach((w, k) => (cum[k] = acc += w / total));
      cum[weights.length - 1] = 1;
      return cum;
    }),
  );
}
