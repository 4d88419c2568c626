/**
 * A Telco churn pipeline built by hand in real Chromium, as a newcomer would: an empty canvas,
 * six nodes added from the palette (load → clean → classify → evaluate, segment, decide), their
 * ports connected by dragging, IBM's Telco-Customer-Churn.csv given to the load node, the label
 * Churn and positive value Yes picked in the classify inspector, Run, and then the churn
 * predictions, the leaderboard, the segments and the decision table read off the screen.
 * Screenshots go to test-results/telco-palette/ (look at them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';

/** The committed copy of IBM's sample (sample-data/README.md, Apache-2.0). */
const TELCO = 'sample-data/telco-churn/Telco-Customer-Churn.csv';
const shots = 'test-results/telco-palette';

interface HookState {
  completedRuns: number;
  selected: string[];
  doc: { nodes: { id: string; kind: string; params: Record<string, unknown> }[]; edges: { from: [string, string]; to: [string, string] }[] };
  statuses: Record<string, { state: string; summary?: string; issues?: { code: string; message: string }[] }>;
}

async function hookState(page: Page): Promise<HookState> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as { insightStudio?: { state(): HookState } }).insightStudio;
    if (!hook) throw new Error('no insightStudio hook');
    return JSON.parse(JSON.stringify(hook.state())) as HookState;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(500);
  writeFileSync(`${shots}/${name}.png`, await page.screenshot());
}

/** Drags from one port handle to another with the mouse. */
async function drag(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await page.locator(`[data-nodeid="${from[0]}"][data-handleid="out:${from[1]}"]`).boundingBox();
  const b = await page.locator(`[data-nodeid="${to[0]}"][data-handleid="in:${to[1]}"]`).boundingBox();
  if (!a || !b) throw new Error(`handles not visible: ${from.join('.')} → ${to.join('.')}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Selects a node by clicking its title corner. */
async function select(page: Page, id: string): Promise<void> {
  await page.locator(`[data-node-id="${id}"]`).click({ position: { x: 12, y: 10 } });
  await expect.poll(async () => (await hookState(page)).selected).toEqual([id]);
}

/** A number as a table cell shows it: thousands separators, or a percentage. */
function cellNumber(text: string | undefined): number {
  const t = (text ?? '').replace(/,/g, '').trim();
  return t.endsWith('%') ? Number(t.slice(0, -1).trim()) / 100 : Number(t === '' ? Number.NaN : t);
}

async function runAndWait(page: Page): Promise<void> {
  const before = (await hookState(page)).completedRuns;
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(async () => (await hookState(page)).completedRuns, { timeout: 600_000, interval: 1000 }).toBe(before + 1);
}

/** The visible table of the results panel: header names and the first rows' cell texts. */
async function visibleTable(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  const table = page.getByTestId('data-table').first();
  await table.locator('tbody tr:not([aria-hidden])').first().waitFor({ timeout: 30_000 });
  const header = await table.locator('thead th[data-column]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
  const rows = await table.locator('tbody tr:not([aria-hidden])').evaluateAll((trs) => trs.slice(0, 20).map((tr) => [...tr.querySelectorAll('td:not(.rownum)')].map((td) => (td.textContent ?? '').trim())));
  return { header, rows };
}

describe.skipIf(!existsSync(TELCO))('a Telco churn pipeline built from the palette', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const ids = new Map<string, string>();
  const id = (kind: string): string => ids.get(kind) ?? kind;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = collectErrors(page);
    // An empty canvas: the person starts from nothing.
    await page.route('**/examples/customer-insight.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
    await page.goto(inject('studioUrl'));
    await page.waitForFunction(() => (document.querySelector('[data-testid="status"]')?.textContent ?? '').includes('The default project could not be opened'), null, { timeout: 120_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('adds load, clean, classify, evaluate, segment and decide from the palette', async () => {
    for (const kind of ['load', 'clean', 'classify', 'evaluate', 'segment', 'decide']) {
      const before = (await hookState(page)).doc.nodes.length;
      await page.locator(`nav button[data-kind="${kind}"]`).click();
      await expect.poll(async () => (await hookState(page)).doc.nodes.length).toBe(before + 1);
      const added = (await hookState(page)).doc.nodes[before];
      expect(added?.kind).toBe(kind);
      ids.set(kind, added?.id ?? '');
    }
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForTimeout(800);
    await shoot(page, '01-added');
    const drawn = await page.locator('[data-node-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-kind')));
    expect(drawn).toEqual(['load', 'clean', 'classify', 'evaluate', 'segment', 'decide']);
  });

  it('connects the ports by dragging: the table down the chain, the predictions to evaluate, segment and decide', async () => {
    const edges: [[string, string], [string, string]][] = [
      [[id('load'), 'table'], [id('clean'), 'table']],
      [[id('clean'), 'table'], [id('classify'), 'table']],
      [[id('classify'), 'predictions'], [id('evaluate'), 'predictions']],
      [[id('clean'), 'table'], [id('segment'), 'table']],
      [[id('classify'), 'predictions'], [id('segment'), 'predictions']],
      [[id('classify'), 'predictions'], [id('decide'), 'predictions']],
      [[id('segment'), 'segments'], [id('decide'), 'segments']],
      [[id('clean'), 'table'], [id('decide'), 'customers']],
    ];
    for (const [from, to] of edges) {
      const before = (await hookState(page)).doc.edges.length;
      await drag(page, from, to);
      await expect.poll(async () => (await hookState(page)).doc.edges.length, { timeout: 10_000 }).toBe(before + 1);
    }
    const made = (await hookState(page)).doc.edges.map((e) => `${e.from.join('.')}->${e.to.join('.')}`).sort();
    expect(made).toEqual(edges.map(([f, t]) => `${f.join('.')}->${t.join('.')}`).sort());
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await shoot(page, '02-connected');
  });

  it('gives the load node Telco-Customer-Churn.csv', async () => {
    await select(page, id('load'));
    const bytes = readFileSync(TELCO);
    await page.getByLabel('Your file').setInputFiles({ name: 'Telco-Customer-Churn.csv', mimeType: 'text/csv', buffer: bytes });
    await expect.poll(() => page.locator('aside.inspector').textContent()).toContain('Using Telco-Customer-Churn.csv');
  });

  it('runs once: load and clean finish, and classify asks for its label column, offering Churn', async () => {
    await runAndWait(page);
    const s = (await hookState(page)).statuses;
    expect(s[id('load')]?.state).toMatch(/^(done|warning)$/);
    expect(s[id('clean')]?.state).toMatch(/^(done|warning)$/);
    expect(s[id('classify')]?.state).toBe('error');
    expect(s[id('classify')]?.issues?.[0]?.message).toMatch(/^Choose the label column: the yes\/no column to predict \(columns with two values here: "Churn, /);
    await shoot(page, '03-classify-needs-label');
  });

  it('finds the label Churn preselected (the detected column) and types the positive value Yes in the inspector', async () => {
    await select(page, id('classify'));
    const label = page.locator(`#param-${id('classify')}-label`);
    // Once clean has run, the label field is a picker over the table's columns; a required picker
    // left empty takes the detected column.
    await expect.poll(() => label.evaluate((e) => e.tagName), { timeout: 30_000 }).toBe('SELECT');
    const options = await label.locator('option').evaluateAll((els) => els.map((e) => e.getAttribute('value')));
    expect(options).toContain('Churn');
    await expect.poll(() => label.inputValue(), { timeout: 10_000 }).toBe('Churn');
    await expect.poll(async () => (await hookState(page)).doc.nodes.find((n) => n.id === id('classify'))?.params.label).toBe('Churn');
    const positive = page.locator(`#param-${id('classify')}-positive`);
    await positive.fill('Yes');
    await positive.press('Tab');
    await expect.poll(async () => (await hookState(page)).doc.nodes.find((n) => n.id === id('classify'))?.params).toMatchObject({ label: 'Churn', positive: 'Yes' });
    await shoot(page, '04-classify-picked');
  });

  it('sets segment and decide to the Telco columns in their inspectors', async () => {
    await select(page, id('segment'));
    const segId = page.locator(`#param-${id('segment')}-idColumn`);
    await expect.poll(() => segId.evaluate((e) => e.tagName), { timeout: 30_000 }).toBe('SELECT');
    await segId.selectOption('customerID');
    const features = page.locator(`aside.inspector .field[data-param="columns"]`);
    await features.getByLabel('tenure', { exact: true }).check();
    await features.getByLabel('MonthlyCharges', { exact: true }).check();
    await select(page, id('decide'));
    const decId = page.locator(`#param-${id('decide')}-idColumn`);
    await expect.poll(() => decId.evaluate((e) => e.tagName), { timeout: 30_000 }).toBe('SELECT');
    await decId.selectOption('customerID');
    await page.locator(`#param-${id('decide')}-valueColumn`).selectOption('MonthlyCharges');
    const params = Object.fromEntries((await hookState(page)).doc.nodes.map((n) => [n.id, n.params]));
    expect(params[id('segment')]).toMatchObject({ idColumn: 'customerID', columns: ['tenure', 'MonthlyCharges'] });
    expect(params[id('decide')]).toMatchObject({ idColumn: 'customerID', valueColumn: 'MonthlyCharges' });
  });

  it('runs every node to done or warning', async () => {
    await runAndWait(page);
    const s = (await hookState(page)).statuses;
    const notDone = Object.entries(s).filter(([, v]) => v.state !== 'done' && v.state !== 'warning').map(([k, v]) => `${k}: ${v.state}`);
    expect(notDone).toEqual([]);
    await page.locator('.svelte-flow__controls-fitview').click();
    await shoot(page, '05-ran');
  }, 600_000);

  it('shows a churn prediction for each customer: id, score in 0..1, label 0/1 and fold', async () => {
    await select(page, id('classify'));
    await page.getByRole('tab', { name: /^predictions/ }).click();
    await expect.poll(() => page.getByTestId('row-count').first().textContent(), { timeout: 30_000 }).toMatch(/^7,?043 rows/);
    const { header, rows } = await visibleTable(page);
    expect(header).toEqual(['id', 'score', 'label', 'fold']);
    // The first customer of the file, 7590-VHVEG, is a month-to-month customer who did not churn.
    expect(rows[0]?.[0]).toBe('7590-VHVEG');
    for (const row of rows) {
      const score = Number(row[1]);
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
      expect(['0', '1']).toContain(row[2]);
      expect(['0', '1', '2', '3', '4']).toContain(row[3]);
    }
    const summary = (await hookState(page)).statuses[id('classify')]?.summary ?? '';
    const auc = Number(/AUC (0\.\d{3})/.exec(summary)?.[1]);
    // sklearn's HistGradientBoosting reaches 0.836 with 5-fold CV on this file.
    expect(auc).toBeGreaterThan(0.83);
    await shoot(page, '06-predictions');
  });

  it('shows the model\'s AUC, PR-AUC and accuracy on evaluate', async () => {
    await select(page, id('evaluate'));
    const auc = page.locator('dd[data-metric="roc_auc"]').first();
    await auc.waitFor({ timeout: 30_000 });
    expect(Number(await auc.textContent())).toBeGreaterThan(0.83);
    for (const m of ['pr_auc', 'accuracy', 'log_loss']) expect(Number(await page.locator(`dd[data-metric="${m}"]`).first().textContent())).toBeGreaterThan(0);
    await shoot(page, '07-evaluate');
  });

  it('shows the segments with their size and mean churn risk, adding up to every customer', async () => {
    await select(page, id('segment'));
    await page.getByRole('tab', { name: /^segments/ }).click();
    const profiles = page.getByTestId('data-table').filter({ has: page.locator('th[data-column="mean_purchase_probability"]') });
    await profiles.locator('tbody tr:not([aria-hidden])').first().waitFor({ timeout: 30_000 });
    const header = await profiles.locator('thead th[data-column]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
    const rows = await profiles.locator('tbody tr:not([aria-hidden])').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td:not(.rownum)')].map((td) => (td.textContent ?? '').trim())));
    expect(rows.length).toBe(4);
    const size = rows.map((r) => cellNumber(r[header.indexOf('size')]));
    expect(size.reduce((a, b) => a + b, 0)).toBe(7043);
    for (const r of rows) {
      expect(r[header.indexOf('name')]).toMatch(/tenure|MonthlyCharges|Newcomers/);
      const risk = cellNumber(r[header.indexOf('mean_purchase_probability')]);
      expect(risk, r.join(' | ')).toBeGreaterThan(0);
      expect(risk).toBeLessThan(1);
    }
    await shoot(page, '08-segments');
  });

  it('shows the decision table: customers ranked by churn risk × monthly charges with a strategy each', async () => {
    await select(page, id('decide'));
    await page.getByRole('tab', { name: /^actions/ }).click();
    await expect.poll(() => page.getByTestId('row-count').first().textContent(), { timeout: 30_000 }).toMatch(/^7,?043 rows/);
    const { header, rows } = await visibleTable(page);
    for (const c of ['rank', 'id', 'segment_name', 'strategy', 'value', 'priority']) expect(header).toContain(c);
    const at = (c: string): number => header.indexOf(c);
    expect(rows.map((r) => r[at('rank')])).toEqual(rows.map((_, i) => String(i + 1)));
    for (const r of rows) {
      expect(r[at('id')]).toMatch(/^\d{4}-[A-Z]{5}$/);
      expect(r[at('strategy')]?.length).toBeGreaterThan(3);
    }
    const priorities = rows.map((r) => Number(r[at('priority')]));
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    await shoot(page, '09-decide-actions');
  });

  it('logged no console errors besides the deliberate 404', () => {
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});
