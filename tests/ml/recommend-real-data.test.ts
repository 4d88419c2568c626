/**
 * The recall@10 check on the real datasets in ../shared/data (beside the repository; CI has it,
 * a fresh clone alone does not — then these tests skip and say why).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadGroceries, loadOnlineRetail } from '../../src/cli/bench/recommend.ts';
import { evaluateOffline } from '../../src/ml/recommend.ts';

const dataDir = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const retail = `${dataDir}online-retail/online_retail_sample.csv`;
const groceries = `${dataDir}groceries/groceries_long.csv`;
const present = existsSync(retail) && existsSync(groceries);

describe.skipIf(!present)(`item-item vs popularity on real data (${present ? dataDir : 'skipped: ../shared/data not found beside the repository'})`, () => {
  it('reaches at least 1.5× the popularity recall@10 on the Online Retail sample (last invoice held out)', () => {
    const data = loadOnlineRetail(retail);
    expect(data.customers).toBe(441);
    const r = evaluateOffline(data.split, { n: 10 });
    expect(r.users).toBe(252);
    expect(r.recallRatio).toBeGreaterThanOrEqual(1.5);
    expect(r.itemItem.map).toBeGreaterThan(r.popularity.map);
  });

  it('stays on par with popularity on Groceries, one item held out per basket (the 1.5× goal is not met there)', () => {
    const data = loadGroceries(groceries, 42);
    expect(data.baskets).toBe(9835);
    const r = evaluateOffline(data.split, { n: 10 });
    expect(r.users).toBe(7676);
    // Measured 0.97–1.02× across similarity choices; see the recommend bench. This guards against
    // item-item falling clearly below popularity, not the 1.5× goal, which no variant reaches.
    expect(r.recallRatio).toBeGreaterThan(0.95);
  });
});

if (!present) {
  describe('real-data recommendation check', () => {
    it.skip(`skipped: ${dataDir} not found (the datasets live in ../shared beside the repository)`, () => {});
  });
}
