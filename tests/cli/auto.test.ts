import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { analyseFile } from '../../src/auto/analyse.ts';
import { buildPipeline } from '../../src/auto/pipeline.ts';
import { bankMarketing, cdnowLog, groceryReceipts, rewriteCsv } from '../../src/auto/variants.ts';
import { coverage } from './auto-coverage.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { rocAuc } from '../../src/ml/metrics.ts';
import { averageRanks } from '../../src/ml/rank-ensemble.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'insight.mjs');
const dir = mkdtempSync(join(tmpdir(), 'insight-auto-'));
const data = join(root, '..', 'shared', 'data');
const retail = join(data, 'online-retail', 'online_retail_sample.csv');
/** The real files live in ../shared/data beside the clone; without them those cases skip, saying so. */
const haveData = existsSync(data);
const onRealData = haveData ? '' : ' (skipped: ../shared/data not found beside the repository)';

function insight(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const csvRows = (path: string): string[] => readFileSync(path, 'utf8').trim().split('\n').slice(1);
/** Rows of a CSV whose named column is empty (simple CSV: no quoted commas before it). */
const emptyCells = (path: string, name: string): number => {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const at = (lines[0] ?? '').split(',').indexOf(name);
  if (at < 0) throw new Error(`${path} has no column ${name}`);
  return lines.slice(1).filter((l) => (l.split(',')[at] ?? '') === '').length;
};
const aucOf = (out: string): number => {
  const m = json(join(out, 'evaluate.metrics.json'));
  const text = JSON.stringify(m);
  const found = /"roc_auc":([0-9.]+)/.exec(text) ?? /"auc":([0-9.]+)/.exec(text);
  if (!found) throw new Error(`no AUC in ${text.slice(0, 200)}`);
  return Number(found[1]);
};

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

describe.skipIf(!haveData)(`insight auto on a transactions log${onRealData}`, () => {
  const out = join(dir, 'retail');
  const run = haveData ? insight('auto', retail, '--out', out) : { code: null, stdout: '', stderr: '' };

  it('runs Online Retail to done with exit 0', () => {
    expect(run.stderr).toMatch(/^insight auto: transactions: time=InvoiceDate, customer=CustomerID, invoice=InvoiceNo, quantity=Quantity, price=UnitPrice, product=StockCode; cutoff 2011-09-10, horizon end 2011-12-09, 10 months$/m);
    expect(run.code).toBe(0);
  });

  it('writes roles.json with the shape, each role with column, confidence and reason, and the dates', () => {
    const roles = json(join(out, 'roles.json'));
    expect(roles).toMatchObject({ file: 'online_retail_sample.csv', shape: 'transactions', cutoff: '2011-09-10', horizonEnd: '2011-12-09', period: 'month', steps: 10 });
    expect(roles).toHaveProperty('roles', expect.arrayContaining([expect.objectContaining({ role: 'customer', column: 'CustomerID', confidence: 0.95, reason: expect.stringContaining('repeats over rows') })]));
  });

  it('writes the pipeline the studio builds for the file, valid for insight run', async () => {
    const written = json(join(out, 'pipeline.json'));
    const analysis = await analyseFile({ name: 'online_retail_sample.csv', bytes: new Uint8Array(readFileSync(retail)) });
    const built = buildPipeline(analysis.build);
    expect(built.ok && built.document).toEqual(written);
    expect(loadPipeline(written, nodeRegistry).ok).toBe(true);
    const kinds = (written as { nodes: { kind: string; note: string }[] }).nodes.map((n) => n.kind);
    expect(kinds).toEqual(['load', 'clean', 'features', 'sequence', 'lstm', 'classify', 'classify', 'evaluate', 'sequence', 'lstm', 'features', 'normalise', 'weight', 'segment', 'rules', 'recommend', 'clv', 'cohorts', 'decide']);
    for (const n of (written as { nodes: { note: string }[] }).nodes) expect(n.note.length).toBeGreaterThan(40);
  });

  it('covers every customer kept by cleaning in segments, recommendations and the decision table', () => {
    expect(run.stderr).toContain('2 of 443 customers in column "CustomerID" lost every row in cleaning');
    expect(csvRows(join(out, 'features.table.csv'))).toHaveLength(441);
    expect(csvRows(join(out, 'segment.table.csv'))).toHaveLength(441);
    expect(csvRows(join(out, 'decide.actions.csv'))).toHaveLength(441);
    const recommended = new Set(csvRows(join(out, 'recommend.recommendations.csv')).map((l) => l.split(',')[0]));
    expect(recommended.size).toBe(441);
    // Every action row has a purchase probability and a lifetime value: the ids joined across nodes.
    expect(emptyCells(join(out, 'decide.actions.csv'), 'purchase_probability')).toBe(0);
    expect(emptyCells(join(out, 'decide.actions.csv'), 'p_alive')).toBe(0);
  });

  it('counts the same customers in the file, less the 2 declared lost, in each per-customer output', async () => {
    expect(await expectCovered({ out, file: retail, stderr: run.stderr }, true)).toMatchObject({ inFile: 443, lost: 2 });
  });

  it('gives the same AUC when insight run re-runs the written pipeline', () => {
    const again = join(dir, 'retail-again');
    const r = insight('run', join(out, 'pipeline.json'), '--input', `load1=${retail}`, '--out', again);
    expect(r.code).toBe(0);
    expect(aucOf(again)).toBe(aucOf(out));
  }, 300_000);;
});

describe.skipIf(!haveData)(`insight auto on baskets${onRealData}`, () => {
  it('reads Groceries one basket per line and recommends for every basket', () => {
    const out = join(dir, 'groceries');
    const r = insight('auto', join(data, 'groceries', 'groceries.csv'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^insight auto: baskets \(ragged\)/m);
    expect(r.stderr).toContain('load1: done');
    expect(r.stderr).toMatch(/load1: done .* 43,367 rows × 2 columns/);
    expect(json(join(out, 'roles.json'))).toMatchObject({ shape: 'baskets', layout: 'ragged', cutoff: null });
    expect(existsSync(join(out, 'recommend1.recommendations.csv'))).toBe(true);
    expect(r.stderr).toMatch(/rules1: done .* rules/);
  });
});

describe('insight auto on simulator output in other formats', () => {
  const sim = join(dir, 'sim');
  const gen = insight('generate', '--customers', '300', '--seed', '11', '--out', sim);
  const text = readFileSync(join(sim, 'transactions.csv'), 'utf8');
  const plain = join(dir, 'sim-plain');
  const plainRun = insight('auto', join(sim, 'transactions.csv'), '--out', plain);

  it('finds the same roles and dates, and the same AUC, with Chinese names, dd/mm/yyyy dates, semicolons and GBK bytes', () => {
    expect(gen.code).toBe(0);
    expect(plainRun.code).toBe(0);
    const file = join(dir, 'zh.csv');
    writeFileSync(file, rewriteCsv(text, { rename: { invoice_id: '订单编号', customer_id: '客户编号', timestamp: '交易日期', product_id: '商品编号', quantity: '数量', unit_price: '单价' }, date: { column: 'timestamp', form: 'dd/mm/yyyy' }, delimiter: ';', encoding: 'gbk' }));
    const out = join(dir, 'zh');
    const r = insight('auto', file, '--out', out, '--delimiter', 'semicolon', '--encoding', 'gbk');
    expect(r.code).toBe(0);
    const roles = json(join(out, 'roles.json')) as { roles: { role: string; column: string }[]; cutoff: string; horizonEnd: string; period: string };
    const base = json(join(plain, 'roles.json')) as typeof roles;
    expect(Object.fromEntries(roles.roles.map((x) => [x.role, x.column]))).toEqual({ time: '交易日期', customer: '客户编号', invoice: '订单编号', quantity: '数量', price: '单价', product: '商品编号' });
    expect([roles.cutoff, roles.horizonEnd, roles.period]).toEqual([base.cutoff, base.horizonEnd, base.period]);
    // dd/mm/yyyy drops the time of day, so each customer's history before the cutoff has the same
    // frequency and monetary value but whole-day recency and tenure one day longer for lines that
    // were not at midnight (⌊(cutoff − t)/day⌋): the models see slightly different numbers.
    const history = (dirName: string): string[] => csvRows(join(dirName, 'history.table.csv')).map((l) => l.split(',').slice(0, 1).concat(l.split(',').slice(2, 4)).join(','));
    expect(history(out)).toEqual(history(plain));
    expect(Math.abs(aucOf(out) - aucOf(plain))).toBeLessThan(0.005);
  }, 300_000);

  it('runs a receipts table without invoice, quantity or price (pipe-separated, month-first dates)', () => {
    const file = join(dir, 'receipts.csv');
    writeFileSync(file, rewriteCsv(text, { rename: { invoice_id: null, customer_id: 'Member_number', timestamp: 'Date', product_id: 'itemDescription', quantity: null, unit_price: null }, date: { column: 'timestamp', form: 'mm/dd/yyyy hh:mm' }, delimiter: '|', encoding: 'utf-8' }));
    const out = join(dir, 'receipts');
    const r = insight('auto', file, '--out', out);
    expect(r.stderr).toMatch(/^insight auto: transactions: time=Date, customer=Member_number, product=itemDescription;/m);
    expect(r.code).toBe(0);
    expect(csvRows(join(out, 'decide.actions.csv')).length).toBe(csvRows(join(out, 'features.table.csv')).length);
  }, 300_000);;
});

type Roles = { shape: string; reason: string; roles: { role: string; column: string; form?: string; reason: string }[]; cutoff: string; horizonEnd: string; period: string; datesReason: string };
type Doc = { nodes: { id: string; kind: string; params: Record<string, unknown> }[] };
const paramsOf = (out: string, id: string): Record<string, unknown> => (json(join(out, 'pipeline.json')) as Doc).nodes.find((n) => n.id === id)?.params ?? {};
const firstColumn = (path: string): Set<string> => new Set(csvRows(path).map((l) => l.split(',')[0] ?? ''));
const idColumn = (path: string, name: string): Set<string> => {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const at = (lines[0] ?? '').split(',').indexOf(name);
  return new Set(lines.slice(1).map((l) => l.split(',')[at] ?? ''));
};

describe('insight auto on shapes it has not seen by name', () => {
  const sim = join(dir, 'sim-shapes');
  const gen = insight('generate', '--customers', '300', '--seed', '11', '--out', sim);
  const text = readFileSync(join(sim, 'transactions.csv'), 'utf8');
  const plain = join(dir, 'sim-shapes-plain');
  const plainRun = insight('auto', join(sim, 'transactions.csv'), '--out', plain);

  it('runs a CDNOW-style log without a header row (YYYYMMDD whole numbers, padded fields) to done, roles by content', () => {
    expect(gen.code).toBe(0);
    expect(plainRun.code).toBe(0);
    const file = join(dir, 'CDNOW_master.csv');
    writeFileSync(file, cdnowLog(text, { padded: true }));
    const out = join(dir, 'cdnow');
    const r = insight('auto', file, '--out', out);
    expect(r.stderr).toMatch(/^insight auto: transactions: time=col2, customer=col1, quantity=col3, amount=col4;/m);
    expect(r.code).toBe(0);
    const roles = json(join(out, 'roles.json')) as Roles;
    const base = json(join(plain, 'roles.json')) as Roles;
    expect(roles.reason).toMatch(/^\d+ of \d+ fields on the first 30 lines are padded with spaces, so they are read trimmed; the first line \(00001, \d{8}, 1, [\d.]+\) holds numbers and dates only, not column names: the file has no header row, so its columns are named col1 to col4/);
    expect(roles.roles.find((x) => x.role === 'time')).toMatchObject({ column: 'col2', form: 'yyyymmdd' });
    // One row per customer and day: the same days, so the same dates as the original log.
    expect([roles.cutoff, roles.horizonEnd, roles.period]).toEqual([base.cutoff, base.horizonEnd, base.period]);
    expect(paramsOf(out, 'load1')).toMatchObject({ header: false, trim: true, numberDates: { col2: 'yyyymmdd' } });
    // Monetary is the amount column's sum (a line total), not quantity × amount.
    expect(paramsOf(out, 'features')).toMatchObject({ quantity: '', price: 'col4' });
    const customers = csvRows(join(out, 'features.table.csv')).length;
    expect(customers).toBeGreaterThan(280);
    expect(csvRows(join(out, 'segment.table.csv'))).toHaveLength(customers);
    expect(csvRows(join(out, 'decide.actions.csv'))).toHaveLength(customers);
    expect(emptyCells(join(out, 'decide.actions.csv'), 'purchase_probability')).toBe(0);
    expect(emptyCells(join(out, 'decide.actions.csv'), 'p_alive')).toBe(0);
    // The written pipeline opens in insight run and gives the same AUC.
    const again = join(dir, 'cdnow-again');
    expect(insight('run', join(out, 'pipeline.json'), '--input', `load1=${file}`, '--out', again).code).toBe(0);
    expect(aucOf(again)).toBe(aucOf(out));
    // Evaluate ranks the LSTM, the trees, the logistic regression and their mean-rank ensemble; the
    // ensemble's AUC is that of the three written out-of-fold predictions' summed ranks.
    const scored = (name: string): Map<string, { score: number; label: number }> => new Map(csvRows(join(out, `${name}.predictions.csv`)).map((l) => l.split(',')).filter((c) => c[2] !== '' && Number(c[3]) >= 0).map((c) => [c[0] ?? '', { score: Number(c[1]), label: Number(c[2]) }]));
    const models = ['lstm', 'trees', 'logit'].map(scored);
    const ids = [...models[0]!.keys()];
    const rankSum = new Float64Array(ids.length);
    for (const m of models) averageRanks(ids.map((id) => m.get(id)!.score)).forEach((r, i) => (rankSum[i]! += r));
    const board = (json(join(out, 'evaluate.metrics.json')) as { tables: { leaderboard: { rows: unknown[][] } } }).tables.leaderboard.rows;
    expect(board.map((r) => r[0])).toEqual(['LSTM', 'trees (totals)', 'logistic (totals)', 'ensemble (mean rank)', 'baseline (logistic)']);
    expect(board[3]![1]).toBe(ids.length);
    expect(Math.abs(Number(board[3]![6]) - rocAuc(ids.map((id) => models[0]!.get(id)!.label), rankSum))).toBeLessThan(1e-12);
  }, 300_000);

  it('runs a grocery receipts table with day numbers instead of dates (Dunnhumby layout), stating day 0', () => {
    const file = join(dir, 'transaction_data.csv');
    writeFileSync(file, groceryReceipts(text));
    const out = join(dir, 'grocery');
    const r = insight('auto', file, '--out', out);
    expect(r.stderr).toMatch(/^insight auto: transactions: time=DAY, customer=household_key, invoice=BASKET_ID, quantity=QUANTITY, amount=SALES_VALUE, product=PRODUCT_ID;/m);
    expect(r.code).toBe(0);
    const roles = json(join(out, 'roles.json')) as Roles;
    expect(roles.roles.find((x) => x.role === 'time')).toMatchObject({ form: 'day-number', reason: expect.stringContaining('read as days after day 0 = 1999-12-31') });
    expect(roles.datesReason).toMatch(/^The data runs 2000-01-01 to /);
    expect(paramsOf(out, 'load1')).toMatchObject({ numberDates: { DAY: 'day-number' }, dayZero: '1999-12-31' });
    const customers = firstColumn(join(out, 'features.table.csv'));
    expect(customers.size).toBeGreaterThan(280);
    expect(idColumn(join(out, 'segment.table.csv'), 'household_key')).toEqual(customers);
    expect(idColumn(join(out, 'decide.actions.csv'), 'id')).toEqual(customers);
    expect(firstColumn(join(out, 'recommend.recommendations.csv'))).toEqual(customers);
  }, 300_000);

  it('runs a semicolon-separated marketing response table without ids (bank-full layout): rows numbered, label y', () => {
    const file = join(dir, 'bank-full.csv');
    writeFileSync(file, bankMarketing(1500));
    const out = join(dir, 'bank');
    const r = insight('auto', file, '--out', out);
    expect(r.stderr).toMatch(/^insight auto: customers: label=y$/m);
    expect(r.code).toBe(0);
    const roles = json(join(out, 'roles.json')) as Roles;
    expect(roles.reason).toContain('no id column unique per row, so each row is a customer, numbered 1, 2, …');
    const ids = idColumn(join(out, 'decide.actions.csv'), 'id');
    expect(ids).toEqual(new Set(Array.from({ length: 1500 }, (_, i) => String(i + 1))));
    expect(idColumn(join(out, 'trees.predictions.csv'), 'id')).toEqual(ids);
    expect(csvRows(join(out, 'segment.table.csv'))).toHaveLength(1500);
    expect(aucOf(out)).toBeGreaterThan(0.7);
  }, 300_000);
});

describe('insight auto when no shape fits', () => {
  it('exits 2 with one line naming the missing date column', () => {
    const file = join(dir, 'scores.csv');
    writeFileSync(file, 'name,score\na,1.5\nb,2.5\nc,3.5\n');
    const r = insight('auto', file, '--out', join(dir, 'none'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`insight: ${file}: no date-like column: a transactions log needs one; pass --label for a customer table.\n`);
  });

  it.skipIf(!haveData)(`exits 2 naming a --label column the file does not have${onRealData}`, () => {
    const r = insight('auto', retail, '--out', join(dir, 'none2'), '--label', 'Bought');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^insight: .*--label names column "Bought", which the file does not have \(columns: InvoiceNo, StockCode/);
  });

  it('exits 2 on a bad option value', () => {
    const r = insight('auto', retail, '--out', join(dir, 'none3'), '--encoding', 'ebcdic');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^insight: --encoding expects one of auto, utf-8, gb18030, windows-1252 \(or gbk\), got "ebcdic"\.\n$/);
  });
});

describe.skipIf(!haveData)(`insight auto on a customer table${onRealData}`, () => {
  it('builds clean, classify (trees and logistic), evaluate, segment and decide for Telco churn, covering every customer', async () => {
    const out = join(dir, 'telco');
    const r = insight('auto', join(data, 'telco-churn', 'Telco-Customer-Churn.csv'), '--out', out);
    expect(r.stderr).toMatch(/^insight auto: customers: label=Churn, customer=customerID$/m);
    expect(r.code).toBe(0);
    const kinds = (json(join(out, 'pipeline.json')) as { nodes: { kind: string }[] }).nodes.map((n) => n.kind);
    expect(kinds).toEqual(['load', 'clean', 'classify', 'classify', 'evaluate', 'segment', 'decide']);
    expect(csvRows(join(out, 'decide.actions.csv'))).toHaveLength(7043);
    expect(await expectCovered({ out, file: join(data, 'telco-churn', 'Telco-Customer-Churn.csv'), stderr: r.stderr }, false)).toMatchObject({ inFile: 7043, lost: 0 });
  });
});
