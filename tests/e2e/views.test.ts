/**
 * Every results view of the default project after Run, in real Chromium at 1440×900: a
 * screenshot per view (test-results/views/, to be looked at), the decision report showing
 * each strategy's whole text, and a walk of every screen in 中文 that fails on any English UI
 * text (data — table cells, column names, node ids, port names, chart data — excepted).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { encodeShareLink } from '../../src/share/link-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { collectErrors, launch } from './browser.ts';

const shots = 'test-results/views';

interface HookState {
  completedRuns: number;
  selected: string[];
  doc: { nodes: { id: string; kind: string }[] };
}

async function hookState(page: Page): Promise<HookState> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as { insightStudio?: { state(): HookState } }).insightStudio;
    if (!hook) throw new Error('no insightStudio hook');
    return JSON.parse(JSON.stringify(hook.state())) as HookState;
  });
}

/** Makes IndexedDB refuse new versions as a full disk would; returns the call that lifts it. */
async function fillStorage(page: Page): Promise<() => Promise<void>> {
  await page.evaluate(() => {
    const add = IDBObjectStore.prototype.add;
    const put = IDBObjectStore.prototype.put;
    const full = (): never => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    Object.assign(globalThis, { liftQuota: () => Object.assign(IDBObjectStore.prototype, { add, put }) });
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      return this.name === 'versions' ? full() : add.apply(this, args);
    };
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      return this.name === 'versions' ? full() : put.apply(this, args);
    };
  });
  return async () => {
    await page.evaluate(() => (globalThis as unknown as { liftQuota(): void }).liftQuota());
  };
}

/** Duplicates node `id` with the keyboard (an edit that autosaves). */
async function duplicateNode(page: Page, id: string): Promise<void> {
  await selectNode(page, id);
  await page.keyboard.press('Control+d');
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(700);
  writeFileSync(`${shots}/${name}.png`, await page.screenshot());
}

/** Selects a node through node search (Ctrl+K, its id, Enter), as a keyboard user would; an edge can lie over a node's corner. */
async function selectNode(page: Page, id: string): Promise<void> {
  await page.keyboard.press('Control+k');
  const box = page.locator('input[aria-controls="node-search-list"]');
  await box.fill(id);
  await box.press('Enter');
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { insightStudio: { state(): { selected: string[] } } }).insightStudio.state().selected)).toEqual([id]);
}

/** How many lines the toolbar's controls take (by their vertical centres), and whether the bar is taller than one line of controls. */
async function toolbarLines(page: Page): Promise<{ lines: number; tall: boolean }> {
  return page.evaluate(() => {
    const bar = document.querySelector('header.bar');
    if (!bar) throw new Error('no toolbar');
    const centres = [...bar.querySelectorAll('h1, button, select, label')].filter((e) => e.getClientRects().length > 0).map((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
    const lines = new Set(centres.map((c) => Math.round(c / 12))).size;
    return { lines, tall: bar.getBoundingClientRect().height > 48 };
  });
}

/** The points a person clicks on a node: 4 px inside each corner, and the centre. */
function clickPoints(b: { x: number; y: number; w: number; h: number }): [string, number, number][] {
  return [['top-left', b.x + 4, b.y + 4], ['top-right', b.x + b.w - 4, b.y + 4], ['bottom-left', b.x + 4, b.y + b.h - 4], ['bottom-right', b.x + b.w - 4, b.y + b.h - 4], ['centre', b.x + b.w / 2, b.y + b.h / 2]];
}

/**
 * English left on screen, outside data (table bodies and headers, chart marks, code, inputs'
 * values, elements marked data-i18n-data), by two rules:
 * - text with no Chinese in it: a run of three or more Latin words, brackets, quotes, commas
 *   and colons between them allowed ("Customer insight (this tab)", "Added segment node seg1");
 * - text with Chinese in it (it may quote a stored English value: "因为您购买过 Lamp"): an
 *   English word of the studio's own vocabulary standing alone ("1,000 位客户 explained").
 * Chart axis labels and titles are UI text, so an SVG's axis labels are read too.
 */
async function englishLeft(page: Page, pending: readonly string[] = [], rootSelector = 'body'): Promise<string[]> {
  return page.evaluate(([allowed, selector]) => {
    const root = document.querySelector(selector);
    if (!root) throw new Error(`no ${selector} on the page`);
    const skip = 'td, th[data-column], svg, code, pre, kbd, textarea, option, .row-panel dd, [data-i18n-data], .svelte-flow__minimap, .katex';
    const latinRun = /[A-Za-z][a-z]+(?:[\s\-(),:;'"“”‘’]+[A-Za-z][a-z]+){2,}/;
    // Words that only the studio writes: data (column and port names such as customers or recency_days, capitalised product names) is never one of these.
    const vocabulary = /(?<![A-Za-z0-9_.-])(the|of|and|with|from|this|tab|node|nodes|version|explained|feature|period|baseline|because|link|saved|changed|added|removed)(?![A-Za-z0-9_-])/;
    const found = new Set<string>();
    const where = (el: Element): string => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
    const judge = (el: Element, text: string, label: string): void => {
      if (allowed.some((a) => text.includes(a))) return;
      const m = /[\u4e00-\u9fff]/.test(text) ? text.match(vocabulary) : text.match(latinRun);
      if (m) found.add(`${label}: ${m[0]} «${text.slice(0, 80)}»`);
    };
    const shown = (el: Element): boolean => {
      const style = getComputedStyle(el);
      return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
    };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !shown(el)) continue;
      judge(el, (n.textContent ?? '').trim(), where(el));
    }
    // Chart axis labels are the studio's words, not data.
    for (const el of root.querySelectorAll('svg [aria-label$="axis label"] text, svg [aria-label="axis label"] text')) {
      if (el.closest('[data-i18n-data]') || !shown(el)) continue;
      judge(el, (el.textContent ?? '').trim(), 'axis label');
    }
    // Accessible names users hear: buttons' and fields' labels.
    for (const el of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (el.closest(skip) || el.getClientRects().length === 0) continue;
      for (const attr of ['aria-label', 'title', 'placeholder']) judge(el, el.getAttribute(attr) ?? '', `${el.tagName.toLowerCase()}[${attr}]`);
    }
    return [...found];
  }, [pending, rootSelector] as const);
}

/** Chart axis tick labels (segment names, features) cut off at the chart's left edge: the text they show. */
async function clippedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('svg [aria-label="y-axis tick label"] text')].flatMap((t) => {
    const svg = t.closest('svg');
    if (!svg || t.getClientRects().length === 0) return [];
    return t.getBoundingClientRect().left < svg.getBoundingClientRect().left - 1 ? [t.textContent ?? ''] : [];
  }));
}

describe('the results views of the default project, after Run', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let ids: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launch({ webgpu: true });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    errors = collectErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the default project and runs it, the status bar naming the running node and its place in the run', async () => {
    await page.goto(inject('studioUrl'));
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 120_000 }).toBe('Opened “Customer insight”.');
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
    ids = (await hookState(page)).doc.nodes.map((n) => n.id);
    await shoot(page, '00-canvas-before-run');
    expect(await toolbarLines(page)).toEqual({ lines: 1, tall: false });
    const before = (await hookState(page)).completedRuns;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // The status bar names the running node and its place in the run.
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/Running node \d+ of \d+: /);
    await expect.poll(async () => (await hookState(page)).completedRuns, { timeout: 1_500_000, interval: 2000 }).toBe(before + 1);
  }, 1_700_000);

  it('fits the whole default project at a readable size: no node covers another, node titles at least 11 px on screen', async () => {
    await page.locator('.svelte-flow__controls-fitview').click();
    await page.waitForTimeout(800);
    await shoot(page, '01-canvas-after-run');
    const boxes = await page.locator('[data-node-id]').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      const title = e.querySelector('.title');
      return { id: e.getAttribute('data-node-id') ?? '', x: r.left, y: r.top, w: r.width, h: r.height, font: title ? parseFloat(getComputedStyle(title).fontSize) : 0, zoom: Number(getComputedStyle(e).getPropertyValue('--zoom') || 1) };
    }));
    const overlapping = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${a.id}/${b.id}`));
    expect(overlapping).toEqual([]);
    const smallest = Math.min(...boxes.map((b) => b.font * b.zoom));
    expect(smallest).toBeGreaterThanOrEqual(11);
    // The minimap hides when every corner has a node under it.
    const mini = (await page.locator('.svelte-flow__minimap').count()) > 0 ? await page.locator('.svelte-flow__minimap').boundingBox() : null;
    if (mini) expect(boxes.filter((b) => b.x < mini.x + mini.width && mini.x < b.x + b.w && b.y < mini.y + mini.height && mini.y < b.y + b.h).map((b) => b.id)).toEqual([]);
  });

  it('lays the project out again by the sizes nodes are drawn at (Auto-layout, then fit): no node covers another, one undo step', async () => {
    const before = (await hookState(page)).doc.nodes.map((n) => [n.id, JSON.stringify(n)]);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.waitForTimeout(2500);
    await shoot(page, '01-canvas-auto-layout');
    const boxes = await page.locator('[data-node-id]').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      const title = e.querySelector('.title');
      return { id: e.getAttribute('data-node-id') ?? '', x: r.left, y: r.top, w: r.width, h: r.height, font: title ? parseFloat(getComputedStyle(title).fontSize) : 0, zoom: Number(getComputedStyle(e).getPropertyValue('--zoom') || 1) };
    }));
    const overlapping = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${a.id}/${b.id}`));
    expect(overlapping).toEqual([]);
    expect(Math.min(...boxes.map((b) => b.font * b.zoom))).toBeGreaterThanOrEqual(11);
    // However many passes the layout took, one undo brings the project's own positions back.
    await page.getByTestId('status').click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await hookState(page)).doc.nodes.map((n) => [n.id, JSON.stringify(n)])).toEqual(before);
    await page.locator('.svelte-flow__controls-fitview').click();
    await page.waitForTimeout(800);
  });

  it('selects the node under the pointer at each of its corners and its centre, whichever node was selected before (no edge lies over a node)', async () => {
    const boxes = await page.locator('.svelte-flow__node').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.getAttribute('data-id') ?? '', x: r.left, y: r.top, w: r.width, h: r.height };
    }));
    expect(boxes.map((b) => b.id).sort()).toEqual([...ids].sort());
    const wrong: string[] = [];
    for (const b of boxes) {
      for (const [where, x, y] of clickPoints(b)) {
        await page.mouse.click(x, y);
        const selected = (await hookState(page)).selected;
        if (selected.length !== 1 || selected[0] !== b.id) wrong.push(`click ${b.id} ${where}: selected ${JSON.stringify(selected)}`);
      }
      // With this node selected (its edges drawn highlighted), every other node's corners and centre are still that node's.
      const covered = await page.evaluate((all) => all.flatMap((o) => [['top-left', o.x + 4, o.y + 4], ['top-right', o.x + o.w - 4, o.y + 4], ['bottom-left', o.x + 4, o.y + o.h - 4], ['bottom-right', o.x + o.w - 4, o.y + o.h - 4], ['centre', o.x + o.w / 2, o.y + o.h / 2]].flatMap(([where, x, y]) => {
        const hit = document.elementFromPoint(Number(x), Number(y));
        const owner = hit?.closest('.svelte-flow__node')?.getAttribute('data-id');
        return owner === o.id ? [] : [`${o.id} ${String(where)}: under ${hit?.closest('.svelte-flow__edge')?.getAttribute('data-id') ?? owner ?? hit?.tagName ?? 'nothing'}`];
      })), boxes);
      for (const c of covered) wrong.push(`with ${b.id} selected, ${c}`);
    }
    expect(wrong).toEqual([]);
  });

  it('saves a screenshot of every view of every node, each drawn with no failure', async () => {
    const failed: string[] = [];
    for (const id of ids) {
      await selectNode(page, id);
      const tabs = page.getByRole('tab');
      const count = await tabs.count();
      for (let t = 0; t < count; t++) {
        const tab = tabs.nth(t);
        const name = ((await tab.textContent()) ?? '').trim().split(/\s+/)[0] ?? `tab${t}`;
        await tab.click();
        await shoot(page, `${id}-${name}`);
        // A view that could not draw says so in red (a chart's failure, a table's or the report's error).
        for (const text of await page.locator('.results-area .failure, .results-area [role="alert"]').allTextContents()) failed.push(`${id} ${name}: ${text}`);
        for (const text of await clippedLabels(page)) failed.push(`${id} ${name}: label cut off: ${text}`);
      }
    }
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  }, 600_000);

  it('offers Scatter and Distributions for a table, coloured and grouped by segment', async () => {
    await selectNode(page, 'decide');
    await page.getByRole('tab', { name: /^actions/ }).click();
    await page.getByRole('radio', { name: 'Scatter' }).click();
    await expect.poll(() => page.locator('.port-view svg[aria-label], .port-view figure svg').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await shoot(page, 'decide-actions-scatter');
    await page.getByRole('radio', { name: 'Distributions' }).click();
    await page.waitForTimeout(1000);
    await shoot(page, 'decide-actions-distributions');
    await page.getByRole('radio', { name: 'Table' }).click();
  });

  it('the decision report shows every strategy and its action in full, not cut', async () => {
    await selectNode(page, 'decide');
    await page.getByRole('tab', { name: 'Report' }).click();
    const report = page.getByTestId('decision-report');
    await report.locator('tr[data-segment]').first().waitFor({ timeout: 30_000 });
    const expected = await page.evaluate(async () => {
      const hook = (globalThis as unknown as { insightStudio: { engine: { queryPreview(n: string, p: string, q: object, o: number, l: number): Promise<{ columns: string[]; rows: unknown[][] }> } } }).insightStudio;
      const r = await hook.engine.queryPreview('decide', 'strategies', {}, 0, 100);
      const at = r.columns.indexOf('strategy');
      return r.rows.map((row) => String(row[at]));
    });
    expect(expected.length).toBeGreaterThan(0);
    const shown = await report.getByTestId('strategy').evaluateAll((els) => els.map((e) => ({ text: e.textContent ?? '', cut: e.scrollWidth > e.clientWidth + 1 })));
    expect(shown.map((s) => s.text)).toEqual(expected);
    expect(shown.filter((s) => s.cut)).toEqual([]);
    expect(expected.some((s) => s.length > 12)).toBe(true);
    await shoot(page, 'decide-report');
  });

  it('explains a customer: three reasons in words, the waterfall, their own sequence beside the attribution heatmap, and importance', async () => {
    await selectNode(page, 'explain');
    await page.getByRole('tab', { name: /^explanations/ }).click();
    const reasons = page.getByTestId('explain-reasons').locator('li');
    await expect.poll(() => reasons.count(), { timeout: 30_000 }).toBe(3);
    for (const r of await reasons.allTextContents()) expect(r).toMatch(/\((raises|lowers) the probability by \d+\.\d points\)$/);
    const titles = (await page.locator('figure.plot figcaption > span:first-child').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(expect.arrayContaining(['What drives the score overall (drop in AUC when shuffled, ± sd) — feature', 'What drives the score overall (drop in AUC when shuffled, ± sd) — period', 'Their own sequence (each feature against its busiest period)', 'Contribution by period and feature']));
    // Every chart drew (an SVG with marks), none reported a failure.
    const charts = page.locator('figure.plot');
    for (let i = 0; i < (await charts.count()); i++) expect(await charts.nth(i).locator('svg').count()).toBeGreaterThan(0);
    expect(await page.locator('figure.plot .failure').count()).toBe(0);
    await shoot(page, 'explain-customer');
    // The decision table carries the same customers' reasons; the report says what sets each segment apart.
    await selectNode(page, 'decide');
    await page.getByRole('tab', { name: 'Report' }).click();
    // The report loads its tables after the tab opens: wait for its segment rows, then their drivers.
    await page.getByTestId('decision-report').locator('tr[data-segment]').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('drivers').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const drivers = await page.getByTestId('drivers').allTextContents();
    for (const d of drivers) expect(d).toMatch(/^What sets it apart: .+ (above|below) average \(z [+−]\d\.\d\d\)/);
  });

  it('walks every screen in 中文 with no English UI text left', async () => {
    await page.getByLabel('Language').selectOption('zh');
    const left = new Map<string, string[]>();
    const check = async (screen: string, on: Page = page): Promise<void> => {
      const found = [...(await englishLeft(on)), ...(await clippedLabels(on)).map((t) => `label cut off: ${t}`)];
      if (found.length > 0) left.set(screen, found);
    };
    await check('canvas');
    for (const id of ids) {
      await selectNode(page, id);
      const tabs = page.getByRole('tab');
      const count = await tabs.count();
      for (let t = 0; t < count; t++) {
        await tabs.nth(t).click();
        await page.waitForTimeout(400);
        await check(`${id} tab ${t}`);
        // A screenshot of every view in 中文 too, to be looked at for missing glyphs, overlaps and clipped text.
        await shoot(page, `zh-${id}-${t}`);
      }
    }
    await shoot(page, 'zh-decide');
    await page.getByRole('button', { name: '项目' }).click();
    await page.waitForTimeout(500);
    await check('projects drawer');
    await shoot(page, 'zh-projects');
    await page.getByRole('button', { name: '关闭' }).first().click();
    await page.keyboard.press('Control+k');
    await page.waitForTimeout(300);
    await check('node search');
    await shoot(page, 'zh-search');
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: '笔记本' }).click();
    // The notebook loads on first use: check it once its steps are drawn, not the empty page before.
    await page.locator('article.notebook h2').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    await check('notebook');
    await shoot(page, 'zh-notebook');
    await page.getByRole('radio', { name: '画布' }).click();
    await page.getByRole('button', { name: '设置' }).click();
    await check('settings');
    await shoot(page, 'zh-settings');
    await page.keyboard.press('Escape');

    // The dialogs that keep work safe, in 中文: full storage, two tabs on one project, a rejected link, an off-site address.
    const lift = await fillStorage(page);
    await duplicateNode(page, 'products');
    await page.locator('[data-fault="storage-full"]').waitFor({ timeout: 20_000 });
    await check('storage-full dialog');
    await shoot(page, 'zh-dialog-storage-full');
    await page.getByTestId('fault-dialog').getByRole('button', { name: '关闭' }).click();
    await lift();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/^已保存为版本 \d+$/);

    // Tab B hears no announcements, so its save meets tab A's in the version check.
    const other = await context.newPage();
    await other.addInitScript(() => Reflect.deleteProperty(globalThis, 'BroadcastChannel'));
    await other.goto(inject('studioUrl'));
    await expect.poll(() => other.getByTestId('status').textContent(), { timeout: 120_000 }).toBe('已打开“Customer insight”。');
    const savedBefore = await page.getByTestId('save-status').textContent();
    await duplicateNode(page, 'products');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).not.toBe(savedBefore);
    await duplicateNode(other, 'products');
    await other.locator('[data-fault="conflict"]').waitFor({ timeout: 20_000 });
    await check('two-tabs dialog', other);
    expect(await other.getByTestId('save-status').textContent()).toBe('未保存：另一个标签页修改了此项目');
    await shoot(other, 'zh-dialog-two-tabs');
    // Keeping this tab's edits as a copy names the copy in the page's language.
    await other.getByRole('button', { name: '把我的另存为副本' }).click();
    await expect.poll(() => other.locator('[data-fault]').count()).toBe(0);
    await other.getByRole('button', { name: '项目' }).click();
    await expect.poll(() => other.getByTestId('project-message').textContent(), { timeout: 20_000 }).toContain('Customer insight（此标签页）');
    await check('projects drawer after keeping a copy', other);
    await shoot(other, 'zh-projects-kept-copy');
    await other.close();
    // This tab's project is saved last again, so it is the one a rejected link reopens.
    const savedCopy = await page.getByTestId('save-status').textContent();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).not.toBe(savedCopy);

    // A real link cut in half, as a chat program might truncate it.
    const whole = (await encodeShareLink({ format: 'insight-pipeline', version: 1, name: 'Cut', description: '', seed: 1, nodes: [], edges: [], notes: [] })).fragment;
    const damaged = await context.newPage();
    await damaged.goto(`${inject('studioUrl')}${whole.slice(0, Math.floor(whole.length / 2))}`);
    await damaged.locator('[data-fault="link"]').waitFor({ timeout: 120_000 });
    expect(await damaged.getByTestId('fault-dialog').textContent()).toContain('已改为打开你上次的项目“Customer insight”。');
    await expect.poll(() => damaged.getByTestId('status').textContent()).toBe('无法打开该链接（详见对话框）；已改为打开你上次的项目。');
    await check('rejected-link dialog', damaged);
    await shoot(damaged, 'zh-dialog-rejected-link');
    await damaged.close();

    const remote: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'Remote', description: '', seed: 1, nodes: [{ id: 'load1', kind: 'load', version: 1, params: { source: 'url', url: 'https://data.example.invalid/customers.csv' }, position: [0, 0], note: '' }], edges: [], notes: [] };
    const offsite = await context.newPage();
    await offsite.goto(`${inject('studioUrl')}${(await encodeShareLink(remote)).fragment}`);
    await offsite.locator('[data-fault="consent"]').waitFor({ timeout: 120_000 });
    await check('off-site consent dialog', offsite);
    await shoot(offsite, 'zh-dialog-offsite-url');
    await offsite.getByRole('button', { name: '暂不' }).click();
    await offsite.close();

    // The projects drawer comparing a version with the document now: one added node.
    await duplicateNode(page, 'products');
    await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 20_000 }).toMatch(/^已保存为版本 \d+$/);
    await page.getByRole('button', { name: '项目' }).click();
    await page.getByRole('button', { name: '比较版本 1', exact: true }).click();
    await expect.poll(() => page.getByTestId('version-diff').locator('li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const added = (await hookState(page)).doc.nodes.filter((n) => !ids.includes(n.id)).map((n) => n.id);
    expect(added).toHaveLength(1);
    expect(await page.getByTestId('version-diff').locator('li').allTextContents()).toContain(`添加了加载数据节点 ${added[0] ?? ''}。`);
    await check('projects drawer, a version compared', page);
    await shoot(page, 'zh-projects-compare');
    await page.getByRole('button', { name: '关闭' }).first().click();
    await page.keyboard.press('Control+z');

    // A shared pipeline whose file stays behind: the share popover asks for it, and a different file given opens a dialog saying what differs.
    const sent = Buffer.from('customer_id,amount,date\n1,10,2024-01-01\n2,20,2024-01-02\n');
    const given = Buffer.from('customer_id,total\n1,10\n');
    const shared: PipelineDocument = { ...remote, name: 'Shared', nodes: [{ id: 'load1', kind: 'load', version: 1, params: { source: 'file' }, position: [0, 0], note: '' }] };
    const receiver = await context.newPage();
    await receiver.goto(`${inject('studioUrl')}${(await encodeShareLink(shared, { datasets: [{ node: 'load1', name: 'sent.csv', bytes: sent }] })).fragment}`);
    await expect.poll(async () => (await receiver.evaluate(() => (globalThis as unknown as { insightStudio?: { state(): { doc: { name: string } } } }).insightStudio?.state().doc.name)) ?? '', { timeout: 120_000 }).toBe('Shared');
    await receiver.getByRole('button', { name: '分享…' }).click();
    await receiver.getByTestId('missing-files').waitFor();
    await receiver.getByRole('button', { name: '创建链接' }).click();
    await expect.poll(() => receiver.getByTestId('share-note').textContent()).toMatch(/^链接 \d+ KB；数据文件由接收者提供。$/);
    await check('share popover with a file to give', receiver);
    await shoot(receiver, 'zh-share-missing-file');
    await receiver.getByLabel('load1 的文件').setInputFiles({ name: 'given.csv', mimeType: 'text/csv', buffer: given });
    await receiver.locator('[data-fault="file-differs"]').waitFor({ timeout: 20_000 });
    expect(await receiver.getByTestId('fault-dialog').locator('li').allTextContents()).toEqual(['缺少列："amount", "date"。', '多出列："total"。', `大小为 ${given.length} 字节；流程是基于 ${sent.length} 字节的文件构建的。`, expect.stringMatching(/^内容不同：SHA-256 为 [0-9a-f]{12}…，而不是 [0-9a-f]{12}…；结果可能与发送者的不同。$/)]);
    await check('file-difference dialog', receiver);
    await shoot(receiver, 'zh-dialog-file-differs');
    await receiver.getByTestId('fault-dialog').getByRole('button', { name: '关闭' }).click();
    await receiver.close();

    await page.getByLabel('语言').selectOption('en');
    expect(Object.fromEntries(left)).toEqual({});
  }, 400_000);

  it('the walk\'s check finds English planted on a screen, and passes data and Chinese that quotes it', async () => {
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.id = 'planted';
      box.style.cssText = 'position: fixed; top: 0; left: 0; z-index: 99; background: white';
      const line = (text: string, attrs: Record<string, string> = {}): void => {
        const p = document.createElement('p');
        p.textContent = text;
        for (const [k, v] of Object.entries(attrs)) p.setAttribute(k, v);
        box.append(p);
      };
      line('Added segment node seg1.');
      line('Customer insight (this tab)');
      line('已运行 3 个 node');
      line('修改了 the 节点');
      line('按钮', { 'aria-label': 'Open the file now' });
      line('Removed load node products.', { 'data-i18n-data': '' });
      line('因为您购买过 Nordic Monitor · recency_days 远高于平均');
      line('Customer insight');
      document.body.append(box);
    });
    const found = await englishLeft(page, [], '#planted');
    await page.evaluate(() => document.getElementById('planted')?.remove());
    expect(found.map((f) => f.replace(/ «.*»$/, '')).sort()).toEqual(['p: Added segment node seg', 'p: Customer insight (this tab', 'p: node', 'p: the', 'p[aria-label]: Open the file now'].sort());
  });
});
