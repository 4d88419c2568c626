/**
 * The studio's editing in real Chromium, independent of the default project: the missing
 * project message, opening a file, connections refused with the engine's reason, undo/redo,
 * palette add and delete, and the language switch (labels and engine messages).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';
import { canConnect, isPortType } from '../../src/engine/ports.ts';
import type { NodeKindDescription } from '../../src/engine/service.ts';
import { zhNodeMessages, zhParams } from '../studio/node-texts.ts';

interface StudioState {
  doc: { nodes: { id: string; kind: string }[]; edges: { from: [string, string]; to: [string, string] }[] };
}

async function state(page: Page): Promise<StudioState> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as { insightStudio?: { state(): StudioState } }).insightStudio;
    if (!hook) throw new Error('no insightStudio hook');
    return JSON.parse(JSON.stringify(hook.state())) as StudioState;
  });
}

/** Finds (output kind, port) → (input kind, port) pairs that the engine refuses and accepts. */
function pairs(kinds: NodeKindDescription[]): { refused: [string, string, string, string, string]; accepted: [string, string, string, string] } {
  let refused: [string, string, string, string, string] | undefined;
  let accepted: [string, string, string, string] | undefined;
  for (const a of kinds) for (const out of a.outputs) for (const b of kinds) for (const inp of b.inputs) {
    if (a.kind === b.kind || !isPortType(out.type) || !isPortType(inp.type)) continue;
    const check = canConnect(out.type, inp.type);
    if (check.ok) accepted ??= [a.kind, out.name, b.kind, inp.name];
    else refused ??= [a.kind, out.name, b.kind, inp.name, check.reason];
  }
  if (!refused || !accepted) throw new Error('The catalog has no refused and accepted connection to test.');
  return { refused, accepted };
}

async function drag(page: Page, from: string, to: string): Promise<void> {
  const a = await page.locator(from).boundingBox();
  const b = await page.locator(to).boundingBox();
  if (!a || !b) throw new Error(`handles not visible: ${from} ${to}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

describe('editing a pipeline in the studio', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let kinds: NodeKindDescription[];

  beforeAll(async () => {
    browser = await launch({ webgpu: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    errors = collectErrors(page);
    // This suite must not depend on the default project, so its URL answers 404 here.
    await page.route('**/examples/customer-insight.json', (route) => route.fulfill({ status: 404, body: 'not here' }));
    await page.goto(inject('studioUrl'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says clearly when the default project is missing', async () => {
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toContain('The default project could not be opened (HTTP 404 for ./examples/customer-insight.json)');
    expect(await page.locator('[data-node-id]').count()).toBe(0);
  });

  it('opens a pipeline file and draws each node with its id, kind and status', async () => {
    kinds = await page.evaluate(() => {
      const hook = (globalThis as unknown as { insightStudio?: { engine: { catalog(): Promise<NodeKindDescription[]> } } }).insightStudio;
      if (!hook) throw new Error('no insightStudio hook');
      return hook.engine.catalog();
    });
    const { refused, accepted } = pairs(kinds);
    const version = (kind: string) => kinds.find((k) => k.kind === kind)?.version ?? 1;
    const doc = {
      format: 'insight-pipeline', version: 1, name: 'Editing test', seed: 7,
      nodes: [
        { id: 'r1', kind: refused[0], version: version(refused[0]), params: {}, position: [0, 0] },
        { id: 'r2', kind: refused[2], version: version(refused[2]), params: {}, position: [420, 0] },
        { id: 'a1', kind: accepted[0], version: version(accepted[0]), params: {}, position: [0, 260] },
        { id: 'a2', kind: accepted[2], version: version(accepted[2]), params: {}, position: [420, 260] },
      ],
      edges: [],
    };
    await page.getByRole('button', { name: 'Open…' }).isVisible();
    await page.locator('input[type="file"][accept^=".json"]').setInputFiles({ name: 'editing.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 30_000 }).toBe('Opened “Editing test”.');
    const drawn = await page.locator('[data-node-id]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node-id'), e.getAttribute('data-node-kind'), e.getAttribute('data-status')]));
    expect(drawn).toEqual([
      ['r1', refused[0], 'idle'],
      ['r2', refused[2], 'idle'],
      ['a1', accepted[0], 'idle'],
      ['a2', accepted[2], 'idle'],
    ]);
  });

  it('refuses a connection between incompatible ports with the engine\'s reason', async () => {
    const { refused } = pairs(kinds);
    await drag(page, `[data-nodeid="r1"][data-handleid="out:${refused[1]}"]`, `[data-nodeid="r2"][data-handleid="in:${refused[3]}"]`);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe(`Connection refused: ${refused[4]}.`);
    expect((await state(page)).doc.edges).toEqual([]);
  });

  it('accepts a compatible connection, and undo / redo remove and restore it', async () => {
    const { accepted } = pairs(kinds);
    await drag(page, `[data-nodeid="a1"][data-handleid="out:${accepted[1]}"]`, `[data-nodeid="a2"][data-handleid="in:${accepted[3]}"]`);
    const edge = { from: ['a1', accepted[1]], to: ['a2', accepted[3]] };
    await expect.poll(async () => (await state(page)).doc.edges).toEqual([edge]);
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await state(page)).doc.edges).toEqual([]);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await state(page)).doc.edges).toEqual([edge]);
    expect(await page.locator('.svelte-flow__edge').count()).toBe(1);
  });

  it('adds a node from the palette by keyboard and deletes it with the Delete key', async () => {
    const kind = kinds[0];
    if (!kind) throw new Error('empty catalog');
    const button = page.locator(`nav button[data-kind="${kind.kind}"]`);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await state(page)).doc.nodes.length).toBe(5);
    const added = (await state(page)).doc.nodes[4];
    expect(added?.kind).toBe(kind.kind);
    expect(await page.locator(`[data-node-id="${added?.id}"]`).count()).toBe(1);
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await state(page)).doc.nodes.length).toBe(4);
  });

  it('switches every label to Chinese and back, keeping the Run control\'s accessible name', async () => {
    const run = page.getByRole('button', { name: 'Run', exact: true });
    expect(await run.textContent()).toContain('Run');
    await page.getByLabel('Language').selectOption('zh');
    expect(await run.textContent()).toContain('运行');
    expect(await page.locator('nav h2').textContent()).toBe('节点');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hans');
    expect(await page.getByRole('radio', { name: '笔记本' }).count()).toBe(1);
    // The inspector shows the selected node's param labels in Chinese too.
    const { accepted } = pairs(kinds);
    const param = kinds.find((k) => k.kind === accepted[0])?.params.find((p) => p.meta.showIf === undefined);
    const zhLabel = param ? zhParams[accepted[0]]?.[param.name]?.label : undefined;
    if (!param || !zhLabel) throw new Error(`no translated param to check on ${accepted[0]}`);
    await page.locator('[data-node-id="a1"]').click();
    const field = page.locator(`aside.inspector .field[data-param="${param.name}"]`);
    await expect.poll(() => field.textContent()).toContain(zhLabel);
    await page.getByLabel('语言').selectOption('en');
    expect(await page.locator('nav h2').textContent()).toBe('Nodes');
    await expect.poll(() => field.textContent()).toContain(param.meta.label ?? param.name);
  });

  it('refuses a file over the load node\'s size cap before reading it, and keeps the node\'s data', async () => {
    const doc = {
      format: 'insight-pipeline', version: 1, name: 'Size cap', seed: 7,
      nodes: [{ id: 'big1', kind: 'load', version: kinds.find((k) => k.kind === 'load')?.version ?? 1, params: { maxMegabytes: 1 }, position: [0, 0] }],
      edges: [],
    };
    await page.locator('input[type="file"][accept^=".json"]').setInputFiles({ name: 'cap.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 30_000 }).toBe('Opened “Size cap”.');
    await page.locator('[data-node-id="big1"]').click();
    const small = Buffer.from('customer_id,amount\nc1,3\nc2,4\n');
    await page.getByLabel('Your file').setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: small });
    await expect.poll(() => page.locator('aside.inspector').textContent()).toContain(`Using small.csv (${small.length} bytes).`);
    const big = Buffer.alloc(1_200_000, 'a,b\n');
    await page.getByLabel('Your file').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    await expect.poll(() => page.getByTestId('status').textContent()).toBe(
      'The file big.csv is 1.1 MB, over the 1 MB cap of node big1 (parameter "maxMegabytes"); it was not read. Raise the cap or choose a smaller extract; the node keeps its current data.',
    );
    expect(await page.locator('aside.inspector').textContent()).toContain(`Using small.csv (${small.length} bytes).`);
  });

  it('shows engine messages in Chinese when the language is 中文, with the codes unchanged', async () => {
    const version = (kind: string) => kinds.find((k) => k.kind === kind)?.version ?? 1;
    const doc = {
      format: 'insight-pipeline', version: 1, name: 'Messages', seed: 7,
      nodes: [
        { id: 'u1', kind: 'load', version: version('load'), params: { source: 'url', url: '' }, position: [0, 0] },
        { id: 'c1', kind: 'clean', version: version('clean'), params: {}, position: [420, 0] },
      ],
      edges: [{ from: ['u1', 'table'], to: ['c1', 'table'] }],
    };
    await page.locator('input[type="file"][accept^=".json"]').setInputFiles({ name: 'messages.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 30_000 }).toBe('Opened “Messages”.');
    await expect.poll(() => page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('[data-node-id="c1"]').getAttribute('data-status'), { timeout: 30_000 }).toBe('blocked');
    const loadIssue = page.locator('[data-node-id="u1"] .issue');
    const cleanIssue = page.locator('[data-node-id="c1"] .issue');
    const english = 'Parameter "url" is empty; enter the address of a CSV, JSON, Parquet or Arrow file.';
    const chinese = zhNodeMessages['load.emptyUrl'];
    expect(await loadIssue.textContent()).toBe(english);
    expect(await cleanIssue.textContent()).toBe('Not run: upstream node "u1" did not finish.');
    await page.locator('[data-node-id="u1"]').click();
    await page.getByLabel('Language').selectOption('zh');
    await expect.poll(() => loadIssue.textContent()).toBe(chinese);
    expect(await cleanIssue.textContent()).toBe('未运行：上游节点 "u1" 没有完成。');
    const inspector = page.locator('aside.inspector');
    await expect.poll(() => inspector.locator('ul.issues li').first().textContent()).toBe(`load.emptyUrl ${chinese}`);
    expect(await inspector.locator('.field[data-param="url"]').textContent()).toContain(chinese);
    await page.getByLabel('语言').selectOption('en');
    await expect.poll(() => loadIssue.textContent()).toBe(english);
    expect(await inspector.locator('ul.issues li').first().textContent()).toBe(`load.emptyUrl ${english}`);
  });

  it('logged no console errors besides the deliberate 404', () => {
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
  });
});
