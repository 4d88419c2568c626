import { describe, expect, it } from 'vitest';
import { DIRT_SPECS, DirtWriter, commaNumber, emptyDirtCounts, joinFields } from '../../sample-data/dirt.ts';
import { createRng } from '../../src/ml/random.ts';
import { generateTexts } from './measure.ts';
import { recountDirt } from './recount.ts';

describe('dirt in generated files', () => {
  it('matches the manifest exactly, kind by kind, file by file, column by column', async () => {
    const texts = await generateTexts({ customers: 300, seed: 11, dirty: 0.04 });
    const manifest: { dirt: unknown; rows: Record<string, number> } = JSON.parse(texts.manifest);
    const recount = recountDirt(texts, 0.04);
    expect(recount).toEqual(manifest.dirt);
    // Every kind that can land in a file did land there at this rate and size.
    expect(recount.duplicate_rows).toEqual({
      'customers.csv': expect.any(Number),
      'transactions.csv': expect.any(Number),
      'events.csv': expect.any(Number),
    });
    for (const file of ['transactions.csv', 'events.csv'] as const) {
      expect(recount.duplicate_rows[file]).toBeGreaterThan(0);
      expect(recount.second_date_format[file].timestamp).toBeGreaterThan(0);
    }
    expect(recount.outliers['transactions.csv'].quantity).toBeGreaterThan(0);
    expect(recount.malformed_numbers['transactions.csv'].unit_price).toEqual({
      'N/A': expect.any(Number),
      decimal_comma: expect.any(Number),
      thousands_separator: expect.any(Number),
    });
    expect(recount.malformed_numbers['transactions.csv'].unit_price?.decimal_comma).toBeGreaterThan(0);
  });

  it('injects each kind at close to the declared rate per row', async () => {
    const texts = await generateTexts({ customers: 300, seed: 11, dirty: 0.04 });
    const manifest: { rows: Record<string, number> } = JSON.parse(texts.manifest);
    const counts = recountDirt(texts, 0.04);
    const duplicates = counts.duplicate_rows['events.csv'];
    const rows = (manifest.rows['events.csv'] ?? 0) - duplicates;
    const dates = counts.second_date_format['events.csv'].timestamp ?? 0;
    // Binomial(rows, 0.04): a 5-sigma band around the expected count.
    for (const observed of [duplicates, dates]) {
      expect(Math.abs(observed - 0.04 * rows)).toBeLessThan(5 * Math.sqrt(rows * 0.04 * 0.96));
    }
  });

  it('writes no dirt at all at rate 0', async () => {
    const texts = await generateTexts({ customers: 100, seed: 11 });
    expect(recountDirt(texts, 0)).toEqual(emptyDirtCounts(0));
  });
});

describe('DirtWriter', () => {
  const fields = ['500001', '100001', '2024-03-05 10:11:12', 'P0042', '2', '1249.99'];

  it('gives at most one kind of dirt per row and counts it', () => {
    const counts = emptyDirtCounts(0.1);
    const writer = new DirtWriter(DIRT_SPECS['transactions.csv'], 0.1, counts);
    const rng = createRng(3);
    let dirty = 0;
    for (let i = 0; i < 2000; i++) {
      const kind = writer.draw(rng);
      if (kind === null) continue;
      dirty++;
      const text = writer.dirty(kind, fields, rng, () => '05/03/2024 10:11');
      const lines = text.split('\n').filter((l) => l !== '');
      const clean = joinFields(fields).trimEnd();
      if (kind === 'duplicate_rows') expect(lines).toEqual([clean, clean]);
      else expect(lines).toHaveLength(1);
    }
    expect(counts.total).toBe(dirty);
    // Six kinds at 10% each: 60% of rows dirty, within 5 sigma of 1,200.
    expect(Math.abs(dirty - 1200)).toBeLessThan(5 * Math.sqrt(2000 * 0.6 * 0.4));
  });

  it('never draws dirt at rate 0', () => {
    const writer = new DirtWriter(DIRT_SPECS['events.csv'], 0, emptyDirtCounts(0));
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) expect(writer.draw(rng)).toBeNull();
  });
});

describe('commaNumber', () => {
  it.each([
    ['24.99', '24,99'],
    ['0.49', '0,49'],
    ['1249.99', '1,249.99'],
    ['12345.50', '12,345.50'],
    ['-1000.00', '-1,000.00'],
  ])('writes %s as %s', (input, output) => {
    expect(commaNumber(input)).toBe(output);
  });

  it('quotes comma numbers in CSV so the row keeps its columns', () => {
    expect(joinFields(['a', '1,249.99', 'b'])).toBe('a,"1,249.99",b\n');
  });
});
