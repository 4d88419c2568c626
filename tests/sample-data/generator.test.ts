import { describe, expect, it } from 'vitest';
import { horizonProbability } from '../../sample-data/customer.ts';
import { GenerateOptionsError, HEADERS, generate, resolveOptions, type GenerateOptions } from '../../sample-data/generator.ts';
import { ARCHETYPES, BEHAVIOUR, CATEGORIES } from '../../sample-data/world.ts';
import { generateTexts, parseCsv, parseTimestamp, type SampleTexts } from './measure.ts';

const FILES: readonly (keyof SampleTexts)[] = ['customers', 'products', 'transactions', 'events', 'truth', 'manifest'];

/** Cache of generations shared by the tests of this file. */
const cache = new Map<string, Promise<SampleTexts>>();
function texts(options: GenerateOptions): Promise<SampleTexts> {
  const key = JSON.stringify(options);
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = generateTexts(options);
    cache.set(key, entry);
  }
  return entry;
}

describe('generate', () => {
  it('writes byte-identical files for the same seed and options', async () => {
    const a = await generateTexts({ customers: 120, seed: 5, dirty: 0.05 });
    const b = await generateTexts({ customers: 120, seed: 5, dirty: 0.05 });
    for (const file of FILES) expect(a[file], file).toBe(b[file]);
  });

  it('writes different customers, products, transactions, events and truth for another seed', async () => {
    const a = await texts({ customers: 120, seed: 5, dirty: 0.05 });
    const b = await texts({ customers: 120, seed: 6, dirty: 0.05 });
    for (const file of FILES) expect(a[file], file).not.toBe(b[file]);
  });

  it('keeps the simulated world identical when only the dirt rate changes', async () => {
    const clean = await texts({ customers: 120, seed: 5 });
    const dirty = await texts({ customers: 120, seed: 5, dirty: 0.05 });
    expect(dirty.truth).toBe(clean.truth);
    expect(dirty.products).toBe(clean.products);
    expect(dirty.events).not.toBe(clean.events);
  });

  it('simulates customer i the same way whatever the number of customers', async () => {
    const small = await texts({ customers: 40, seed: 9 });
    const large = await texts({ customers: 120, seed: 9 });
    expect(large.customers.startsWith(small.customers)).toBe(true);
    expect(large.events.startsWith(small.events)).toBe(true);
    expect(large.truth.startsWith(small.truth)).toBe(true);
  });

  it('writes the documented headers and 200 products in 10 categories', async () => {
    const t = await texts({ customers: 120, seed: 5 });
    expect(`${t.customers.split('\n')[0]}\n`).toBe(HEADERS['customers.csv']);
    expect(t.customers.split('\n')[0]).toBe('customer_id,signup_date,age,gender,occupation,city,name,email,phone');
    expect(t.products.split('\n')[0]).toBe('product_id,name,category,price');
    expect(t.transactions.split('\n')[0]).toBe('invoice_id,customer_id,timestamp,product_id,quantity,unit_price');
    expect(t.events.split('\n')[0]).toBe('customer_id,timestamp,event,product_id');
    expect(t.truth.split('\n')[0]).toBe('customer_id,archetype,purchase_probability,purchased');
    const products = parseCsv(t.products).slice(1);
    expect(products).toHaveLength(200);
    expect(new Set(products.map((p) => p[2])).size).toBe(CATEGORIES.length);
    expect(new Set(products.map((p) => p[1])).size).toBe(200);
    for (const [, , , price = ''] of products) expect(price).toMatch(/^\d+\.\d{2}$/);
  });

  it('keeps every transaction and event inside the observed window, none in the horizon', async () => {
    const t = await texts({ customers: 120, seed: 5 });
    const manifest: { observed_start: string; cutoff: string; horizon_end: string } = JSON.parse(t.manifest);
    expect(manifest).toMatchObject({ observed_start: '2024-01-01 00:00:00', cutoff: '2024-07-01 00:00:00', horizon_end: '2024-07-29 00:00:00' });
    const start = parseTimestamp(manifest.observed_start);
    const cutoff = parseTimestamp(manifest.cutoff);
    let checked = 0;
    for (const [text, column] of [[t.transactions, 2], [t.events, 1]] as const) {
      for (const row of parseCsv(text).slice(1)) {
        const time = row[column] ?? '';
        expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        const s = parseTimestamp(time);
        expect(s >= start && s < cutoff, time).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('orders each customer\'s events strictly in time and writes returns as negative quantities', async () => {
    const t = await texts({ customers: 120, seed: 5 });
    let last = new Map<string, number>();
    for (const [customer = '', time = ''] of parseCsv(t.events).slice(1)) {
      const s = parseTimestamp(time);
      expect(s).toBeGreaterThan(last.get(customer) ?? -Infinity);
      last.set(customer, s);
    }
    last = new Map();
    let returns = 0;
    for (const [invoice = '', , , , quantity = ''] of parseCsv(t.transactions).slice(1)) {
      const q = Number(quantity);
      expect(invoice.startsWith('C')).toBe(q < 0);
      if (q < 0) returns++;
      expect(Math.abs(q)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(q)).toBeLessThanOrEqual(6);
    }
    expect(returns).toBeGreaterThan(0);
  });

  it('writes one truth row per customer with a probability in [0, 1] and a 0/1 label', async () => {
    const t = await texts({ customers: 120, seed: 5 });
    const rows = parseCsv(t.truth).slice(1);
    expect(rows).toHaveLength(120);
    const names = new Set(ARCHETYPES.map((a) => a.name));
    rows.forEach(([id, archetype = '', p = '', y = ''], i) => {
      expect(id).toBe(String(100_001 + i));
      expect(names.has(archetype)).toBe(true);
      expect(p).toMatch(/^[01]\.\d{6}$/);
      expect(Number(p)).toBeGreaterThanOrEqual(0);
      expect(Number(p)).toBeLessThanOrEqual(1);
      expect(['0', '1']).toContain(y);
    });
  });

  it('reports the manifest it writes', async () => {
    const chunks: Uint8Array[] = [];
    const manifest = await generate({ customers: 30, seed: 1 }, {
      write(file, chunk) {
        if (file === 'manifest.json') chunks.push(chunk);
      },
    });
    const written: unknown = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
    expect(written).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(manifest.options).toEqual({ customers: 30, seed: 1, weeks: 26, dirty: 0, horizon_weeks: 4 });
    expect(manifest.dirt.total).toBe(0);
  });

  it('moves the observed start, not the cutoff, when --weeks changes', async () => {
    const t = await texts({ customers: 20, seed: 3, weeks: 8 });
    const manifest: { observed_start: string; cutoff: string } = JSON.parse(t.manifest);
    expect(manifest.observed_start).toBe('2024-05-06 00:00:00');
    expect(manifest.cutoff).toBe('2024-07-01 00:00:00');
  });
});

describe('resolveOptions', () => {
  it('fills in 26 weeks and no dirt by default', () => {
    expect(resolveOptions({ customers: 10, seed: 0 })).toEqual({ customers: 10, seed: 0, weeks: 26, dirty: 0, horizon_weeks: 4 });
  });

  it.each([
    [{ customers: 0, seed: 1 }, 'customers', '--customers must be an integer from 1 to 10000000; got 0.'],
    [{ customers: 1.5, seed: 1 }, 'customers', '--customers must be an integer from 1 to 10000000; got 1.5.'],
    [{ customers: 10, seed: -1 }, 'seed', '--seed must be an integer from 0 to 4294967295; got -1.'],
    [{ customers: 10, seed: 1, weeks: 7 }, 'weeks', '--weeks must be an integer from 8 to 104; got 7.'],
    [{ customers: 10, seed: 1, dirty: 0.2 }, 'dirty', '--dirty must be a number from 0 to 0.1; got 0.2.'],
    [{ customers: 10, seed: 1, dirty: Number.NaN }, 'dirty', '--dirty must be a number from 0 to 0.1; got NaN.'],
  ])('rejects %o naming --%s', (options, option, message) => {
    expect(() => resolveOptions(options)).toThrow(new GenerateOptionsError(option, message));
    try {
      resolveOptions(options);
    } catch (err) {
      expect(err instanceof GenerateOptionsError && err.option).toBe(option);
    }
  });
});

describe('horizonProbability', () => {
  it('combines the latent rate, view excitation and abandoned carts as documented', () => {
    const state = { sessionRate: 1.5, orderPerSession: 0.2, excitation: 3, abandonedCarts: 2 };
    const hazard = BEHAVIOUR.latentWeight * 4 * 1.5 * 0.2 + BEHAVIOUR.viewExcitation * 3;
    const expected = 1 - Math.exp(-hazard) * (1 - BEHAVIOUR.abandonedCartReturn) ** 2;
    expect(horizonProbability(state, 4)).toBeCloseTo(expected, 12);
    expect(horizonProbability(state, 4)).toBeCloseTo(0.7093, 4);
  });

  it('is 0 for a customer with no engagement left and rises with recent views', () => {
    expect(horizonProbability({ sessionRate: 0, orderPerSession: 0.3, excitation: 0, abandonedCarts: 0 }, 4)).toBe(0);
    const few = horizonProbability({ sessionRate: 1, orderPerSession: 0.3, excitation: 1, abandonedCarts: 0 }, 4);
    const many = horizonProbability({ sessionRate: 1, orderPerSession: 0.3, excitation: 5, abandonedCarts: 0 }, 4);
    expect(many).toBeGreaterThan(few);
  });
});
