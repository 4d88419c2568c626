import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankMarketing, cdnowLog, groceryReceipts } from '../../src/auto/variants.ts';
import { bankZh, groceryZh } from '../../src/cli/bench/auto.ts';
import { coverage } from './auto-coverage.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'insight.mjs');
const dir = mkdtempSync(join(tmpdir(), 'insight-auto-forms-'));

function insight(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
type Roles = { shape: string; reason: string; roles: { role: string; column: string; form?: string; reason: string }[] };
type Doc = { nodes: { id: string; kind: string; params: Record<string, unknown> }[] };
const paramsOf = (out: string, id: string): Record<string, unknown> => (json(join(out, 'pipeline.json')) as Doc).nodes.find((n) => n.id === id)?.params ?? {};

/** Every customer of the file, less those cleaning declared lost, in segments, recommendations (when made) and decisions. */
const expectCovered = async (r: { out: string; file: string; stderr: string }, recommends: boolean) => {
  const c = await coverage(r.file, r.out, r.stderr);
  const kept = c.inFile - c.lost;
  expect(c.inFile).toBeGreaterThan(0);
  expect(c.segments).toBe(kept);
  expect(c.decisions).toBe(kept);
  expect(c.recommendations).toBe(recommends ? kept : null);
  expect(c.strangers).toBe(0);
  return c;
};

describe('insight auto on whitespace-aligned logs, receipts and response tables in other forms, covering every customer', () => {
  const sim = join(dir, 'sim-forms');
  const gen = insight('generate', '--customers', '300', '--seed', '11', '--out', sim);
  const text = readFileSync(join(sim, 'transactions.csv'), 'utf8');
  /** Runs auto on bytes written to `name`; returns the run, its out folder and the file. */
  const auto = (name: string, bytes: Uint8Array, ...args: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const out = join(dir, `forms-${name}`);
    return { ...insight('auto', file, '--out', out, ...args), out, file };
  };

  it('reads the log itself, whitespace-aligned with leading blanks and no header (CDNOW_master.txt), naming the delimiter in the load node and roles.json', async () => {
    expect(gen.code).toBe(0);
    const r = auto('CDNOW_master.txt', cdnowLog(text, { aligned: true, padded: true }));
    expect(r.stderr).toMatch(/^insight auto: transactions: time=col2, customer=col1, quantity=col3, amount=col4;/m);
    expect(r.code).toBe(0);
    const roles = json(join(r.out, 'roles.json')) as Roles & { delimiter: string; delimiterReason: string };
    expect(roles).toMatchObject({ delimiter: 'whitespace', delimiterReason: expect.stringMatching(/^runs of spaces or tabs: 4 fields on 30 of the first 30 lines$/) });
    expect(roles.reason).toMatch(/^fields are separated by runs of spaces or tabs/);
    expect(paramsOf(r.out, 'load1')).toMatchObject({ delimiter: 'whitespace', header: false, numberDates: { col2: 'yyyymmdd' } });
    // Ids padded with zeros stay text ids.
    expect(readFileSync(join(r.out, 'decide.actions.csv'), 'utf8')).toMatch(/\n\d+,00\d{3},/);
    await expectCovered(r, false);
  }, 300_000);

  it('runs the same log with a padded header, --delimiter whitespace given by hand', async () => {
    const r = auto('cdnow-header.txt', cdnowLog(text, { aligned: true, header: true }), '--delimiter', 'whitespace');
    expect(r.stderr).toMatch(/^insight auto: transactions: time=date, customer=id, quantity=cds, amount=amount;/m);
    expect(r.code).toBe(0);
    expect(json(join(r.out, 'roles.json'))).toMatchObject({ delimiter: 'whitespace', delimiterReason: 'runs of spaces or tabs, as chosen' });
    await expectCovered(r, false);
  }, 300_000);

  it('trims a converted log whose padding is inside quotes, with a header, and says so', async () => {
    const r = auto('cdnow-quoted.csv', cdnowLog(text, { padded: true, quoted: true, header: true }));
    expect(r.stderr).toMatch(/^insight auto: transactions: time=date, customer=customer_id, quantity=cds, amount=dollar_value;/m);
    expect(r.code).toBe(0);
    const roles = json(join(r.out, 'roles.json')) as Roles & { delimiter: string; trimmed: string };
    expect(roles).toMatchObject({ delimiter: ',', trimmed: expect.stringMatching(/fields on the first 30 lines are padded with spaces, so they are read trimmed$/) });
    expect(paramsOf(r.out, 'load1')).toMatchObject({ trim: true, numberDates: { date: 'yyyymmdd' } });
    await expectCovered(r, false);
  }, 300_000);

  it('runs grocery receipts reordered, with Chinese names, dd/mm/yyyy days and GBK bytes', async () => {
    const r = auto('receipts-zh.csv', groceryReceipts(text, groceryZh));
    expect(r.stderr).toMatch(/^insight auto: transactions: time=日期, customer=家庭编号, invoice=购物篮编号, quantity=数量, amount=销售金额, product=商品编号;/m);
    expect(r.code).toBe(0);
    await expectCovered(r, true);
  }, 300_000);

  it('runs a receipts table separated by semicolons with the product first', async () => {
    const r = auto('receipts-semicolon.csv', groceryReceipts(text, { delimiter: ';', order: ['PRODUCT_ID', 'household_key'] }));
    expect(r.stderr).toMatch(/^insight auto: transactions: time=DAY, customer=household_key, invoice=BASKET_ID, quantity=QUANTITY, amount=SALES_VALUE, product=PRODUCT_ID;/m);
    expect(r.code).toBe(0);
    await expectCovered(r, true);
  }, 300_000);

  it('runs the response table with Chinese names, the label 是否认购 first, commas and GBK bytes', async () => {
    const r = auto('bank-zh.csv', bankMarketing(1500, 7, bankZh));
    expect(r.stderr).toMatch(/^insight auto: customers: label=是否认购$/m);
    expect(r.code).toBe(0);
    const c = await expectCovered(r, false);
    expect(c.inFile).toBe(1500);
  }, 300_000);

  it('runs the response table with its label named subscribed', async () => {
    const r = auto('bank-label.csv', bankMarketing(1500, 7, { rename: { y: 'subscribed' } }));
    expect(r.stderr).toMatch(/^insight auto: customers: label=subscribed$/m);
    expect(r.code).toBe(0);
    await expectCovered(r, false);
  }, 300_000);
});
