import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGenerateArgs } from '../../src/cli/generate.ts';
import { committedTexts as committed, generateTexts, parseCsv, type SampleTexts } from './measure.ts';
import { recountDirt } from './recount.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** The generate command sample-data/README.md documents for the committed set. */
function documentedCommand(): string[] {
  const readme = readFileSync(join(ROOT, 'sample-data', 'README.md'), 'utf8');
  const match = /npx insight generate ([^\n`]*--out sample-data\/customer-insight[^\n`]*)/.exec(readme);
  if (!match?.[1]) throw new Error('sample-data/README.md does not document the command for sample-data/customer-insight');
  return match[1].trim().split(/\s+/);
}

describe('the committed sample set (sample-data/customer-insight)', () => {
  it('is byte-identical to a fresh generation with the command in sample-data/README.md', async () => {
    const args = parseGenerateArgs(documentedCommand());
    expect(args.out).toBe('sample-data/customer-insight');
    expect(args.options).toEqual({ customers: 1000, seed: 42, weeks: 26, dirty: 0.01 });
    const fresh = await generateTexts(args.options);
    const files = committed();
    const keys: readonly (keyof SampleTexts)[] = ['customers', 'products', 'transactions', 'events', 'truth', 'manifest'];
    // Compared as booleans: a diff of two 6 MB strings would drown the report.
    for (const key of keys) expect(fresh[key] === files[key], key).toBe(true);
  });

  it('declares in its manifest exactly the dirt that is in its files', () => {
    const files = committed();
    const manifest: { dirt: unknown } = JSON.parse(files.manifest);
    expect(recountDirt(files, 0.01)).toEqual(manifest.dirt);
  });

  it('declares its row counts', () => {
    const files = committed();
    const manifest: { rows: Record<string, number> } = JSON.parse(files.manifest);
    const count = (text: string): number => text.split('\n').length - 2;
    expect(manifest.rows).toEqual({
      'products.csv': count(files.products),
      'customers.csv': count(files.customers),
      'transactions.csv': count(files.transactions),
      'events.csv': count(files.events),
      'truth.csv': count(files.truth),
    });
    expect(manifest.rows['truth.csv']).toBe(1000);
    expect(manifest.rows['products.csv']).toBe(200);
  });

  it('plants at least five archetypes, each with at least 10% of the customers', () => {
    const rows = parseCsv(committed().truth).slice(1);
    const sizes = new Map<string, number>();
    for (const [, archetype = ''] of rows) sizes.set(archetype, (sizes.get(archetype) ?? 0) + 1);
    expect(sizes.size).toBeGreaterThanOrEqual(5);
    for (const [name, size] of sizes) expect(size, name).toBeGreaterThanOrEqual(100);
  });

  it('has a purchase base rate between 25% and 60% and probabilities in [0, 1]', () => {
    const rows = parseCsv(committed().truth).slice(1);
    const positives = rows.filter((r) => r[3] === '1').length;
    expect(positives / rows.length).toBeGreaterThanOrEqual(0.25);
    expect(positives / rows.length).toBeLessThanOrEqual(0.6);
    for (const [, , p = ''] of rows) {
      expect(Number(p)).toBeGreaterThanOrEqual(0);
      expect(Number(p)).toBeLessThanOrEqual(1);
    }
  });

  it('stays under 8 MB', () => {
    const files = committed();
    const bytes = Object.values(files).reduce((s, t) => s + Buffer.byteLength(t), 0);
    expect(bytes).toBeLessThan(8_000_000);
  });
});
