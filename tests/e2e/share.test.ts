import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launch } from './browser.ts';
import { encodeShareLink } from '../../src/share/link-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';

const csv = readFileSync('tests/fixtures/projects/telco-churn-40.csv');
const csvSha = createHash('sha256').update(csv).digest('hex');

function harnessUrl(query = ''): string {
  return new URL(`projects-harness.html${query}`, inject('studioUrl')).href;
}

async function ready(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 120_000 }).toMatch(/Compute: \w+/);
}

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await ready(page);
  return page;
}

async function bound(page: Page): Promise<unknown> {
  return JSON.parse((await page.getByTestId('bound-files').textContent()) || '{}');
}

/** Builds a project with two nodes and the uploaded file in a fresh profile; returns its page and document text. */
async function senderProject(browser: Browser): Promise<{ context: BrowserContext; page: Page; doc: string }> {
  const context = await browser.newContext();
  const page = await open(context, harnessUrl());
  await page.getByRole('button', { name: 'New project' }).click();
  await page.getByRole('button', { name: 'Add segment node' }).click();
  await page.getByRole('button', { name: 'Add segment node' }).click();
  await page.getByLabel('Dataset file').setInputFiles({ name: 'telco-churn-40.csv', mimeType: 'text/csv', buffer: csv });
  await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved as version 3');
  // A new project takes its first file's name; on a loaded machine the document shown can lag the save by a moment.
  await expect.poll(async () => JSON.parse((await page.getByTestId('doc-json').textContent()) || '{}').name, { timeout: 10_000 }).toBe('telco-churn-40');
  return { context, page, doc: (await page.getByTestId('doc-json').textContent()) ?? '' };
}

async function createLink(page: Page, includeData: boolean): Promise<string> {
  if (includeData) await page.getByLabel(/Include the data in the link/).check();
  await page.getByRole('button', { name: 'Create link' }).click();
  await expect.poll(() => page.getByTestId('share-link').inputValue()).toMatch(/#p=/);
  return page.getByTestId('share-link').inputValue();
}

describe('share links in real Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens in a fresh profile with the same pipeline, seed and file (data opted in), on the wasm backend when asked', async () => {
    const sender = await senderProject(browser);
    const link = await createLink(sender.page, true);
    expect(await sender.page.getByTestId('share-note').textContent()).toMatch(/^\d+ KB link, data included\.$/);
    const receiver = await browser.newContext();
    const page = await receiver.newPage();
    const errors = collectErrors(page);
    await page.goto(link.replace('projects-harness.html#', 'projects-harness.html?backend=wasm#'));
    await ready(page);
    expect(await page.getByTestId('backend').textContent()).toBe('Compute: wasm');
    await expect.poll(() => page.getByTestId('doc-json').textContent()).toBe(sender.doc);
    expect(JSON.parse(sender.doc).seed).toBe(42);
    await expect.poll(() => bound(page)).toEqual({ seg1: { name: 'telco-churn-40.csv', size: csv.length, fingerprint: `sha256:${csvSha}` } });
    // The sender's new project took its first file's name.
    expect(await page.getByTestId('project-message').textContent()).toBe('Opened the shared pipeline "telco-churn-40".');
    // The link is consumed: the address no longer carries it, and a reload does not import it twice.
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    await ready(page);
    expect(await page.locator('[data-project-id]').count()).toBe(1);
    expect(errors).toEqual([]);
    await receiver.close();
    await sender.context.close();
  });

  it('without data asks the receiver for the file, shows its fingerprint and warns when the one given differs', async () => {
    const sender = await senderProject(browser);
    const link = await createLink(sender.page, false);
    expect(await sender.page.getByTestId('share-note').textContent()).toMatch(/^\d+ KB link; the receiver gives the data file\.$/);
    const receiver = await browser.newContext();
    const page = await open(receiver, link);
    await expect.poll(() => page.getByTestId('missing-files').textContent()).toContain(`Node seg1: “telco-churn-40.csv”, ${csv.length} bytes, columns customerID, gender, SeniorCitizen`);
    expect(await page.getByTestId('missing-files').textContent()).toContain(csvSha);
    const other = Buffer.from(csv.toString('utf8').replace('7590-VHVEG,Female', '7590-VHVEG,Male'));
    await page.getByLabel('File for seg1').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: other });
    await expect.poll(() => page.getByTestId('project-message').textContent()).toBe('"mine.csv" is not the file the sender used.');
    const differences = [
      `Size is ${other.length} bytes; the pipeline was built on ${csv.length} bytes.`,
      `Content differs: SHA-256 ${createHash('sha256').update(other).digest('hex').slice(0, 12)}… instead of ${csvSha.slice(0, 12)}…; results may differ from the sender's.`,
    ];
    expect(await page.locator('.message li').allTextContents()).toEqual(differences);
    // Said in a dialog too, where the file was given.
    await page.locator('[data-fault="file-differs"]').waitFor();
    expect(await page.getByTestId('fault-dialog').locator('li').allTextContents()).toEqual(differences);
    expect(await page.locator('#fault-text').textContent()).toBe('"mine.csv" is not the file the sender used. Node seg1 reads it; what differs:');
    await receiver.close();
    await sender.context.close();
  });

  it('a corrupted link and an oversized link each open nothing and say why', async () => {
    const context = await browser.newContext();
    const link = await encodeShareLink({ format: 'insight-pipeline', version: 1, name: 'x', description: '', seed: 1, nodes: [], edges: [], notes: [] });
    const corrupted = await open(context, harnessUrl(link.fragment.slice(0, 20) + '!!' + link.fragment.slice(22)));
    await expect.poll(() => corrupted.getByTestId('project-message').textContent()).toBe('This link is damaged: the pipeline is not valid base64url. Character "!" at position 4 is not base64url.');
    expect(await corrupted.locator('[data-project-id]').count()).toBe(0);
    const truncated = await open(context, harnessUrl(link.fragment.slice(0, 30)));
    await expect.poll(() => truncated.getByTestId('project-message').textContent()).toMatch(/^This link is damaged: /);
    const oversized = await open(context, harnessUrl(`#p=${'A'.repeat(600_000)}`));
    await expect.poll(() => oversized.getByTestId('project-message').textContent()).toBe('This link is 586 KB long; the most a link may carry is 512 KB. Ask the sender for the project file instead.');
    expect(await oversized.locator('[data-project-id]').count()).toBe(0);
    await context.close();
  });

  it('a hostile link cannot run code or inject HTML, and a javascript: URL is refused', async () => {
    const context = await browser.newContext();
    const html = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const hostile: PipelineDocument = {
      format: 'insight-pipeline',
      version: 1,
      name: html,
      description: html,
      seed: 3,
      nodes: [{ id: 'seg1', kind: 'segment', version: 1, params: {}, position: [0, 0], note: html, label: html }],
      edges: [],
      notes: [{ id: 'n1', text: html, position: [0, 0] }],
    };
    const page = await open(context, harnessUrl((await encodeShareLink(hostile)).fragment));
    await expect.poll(() => page.getByTestId('doc-name').textContent()).toBe(html);
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();

    const evil: PipelineDocument = { ...hostile, name: 'evil', nodes: [{ id: 'seg1', kind: 'segment', version: 1, params: { url: 'javascript:alert(1)' }, position: [0, 0], note: '' }] };
    const fresh = await browser.newContext();
    const refused = await open(fresh, harnessUrl((await encodeShareLink(evil)).fragment));
    await expect.poll(() => refused.getByTestId('project-message').textContent()).toMatch(/^This link's pipeline is not valid: /);
    expect(await refused.locator('[data-project-id]').count()).toBe(0);
    await fresh.close();
    await context.close();
  });
});
