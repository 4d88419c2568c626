import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtEntries, cliNodeFlags } from '../../bin/cli-build.mjs';
import { readFileSync } from 'node:fs';

const repo = join(import.meta.dirname, '..', '..');
const bin = join(repo, 'bin', 'insight.mjs');
const tree = mkdtempSync(join(tmpdir(), 'insight-cli-build-'));
// The insight command's own caches must lie under the checkout: the bundle's package imports resolve from there.
const repoCaches = mkdtempSync(join(repo, 'node_modules', '.cache', 'insight-cli-test-'));
afterAll(() => {
  rmSync(tree, { recursive: true, force: true });
  rmSync(repoCaches, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** Imports a built module afresh (each build has its own folder, so its own URL). */
async function value(url: string): Promise<{ answer: string; here: string; lazy: () => Promise<string> }> {
  return (await import(url)) as { answer: string; here: string; lazy: () => Promise<string> };
}

describe('the CLI build cache (bin/cli-build.mjs)', () => {
  const root = join(tree, 'project');
  const cache = join(tree, 'cache');
  const entries = { main: 'src/main.ts' };
  write(join(root, 'src', 'main.ts'), "export { answer } from './dep.ts';\nexport const here: string = new URL('./data/', import.meta.url).href;\nexport const lazy = async (): Promise<string> => (await import('./later.ts')).later;\n");
  write(join(root, 'src', 'dep.ts'), "export const answer: string = 'one';\n");
  write(join(root, 'src', 'later.ts'), "export const later: string = 'lazy one';\n");

  it('builds once, then reuses the build while no input changed', async () => {
    const first = await builtEntries(root, entries, cache);
    expect(first.built).toBe(true);
    expect((await value(first.urls.main!)).answer).toBe('one');
    const second = await builtEntries(root, entries, cache);
    expect(second).toEqual({ urls: first.urls, built: false });
  });

  it("keeps a source file's import.meta.url pointing at the source tree, and lazy imports lazy", async () => {
    const { urls } = await builtEntries(root, entries, cache);
    const built = await value(urls.main!);
    expect(built.here).toBe(pathToFileURL(join(root, 'src', 'data')).href + '/');
    expect(readdirSync(join(urls.main!.replace('file://', ''), '..', 'chunks')).some((name) => name.startsWith('later-'))).toBe(true);
    expect(await built.lazy()).toBe('lazy one');
  });

  it('rebuilds when a source changes, even to a text of the same size', async () => {
    const before = await builtEntries(root, entries, cache);
    const dep = join(root, 'src', 'dep.ts');
    write(dep, "export const answer: string = 'two';\n");
    // A minute back: other than the first text's mtime, and before the build (a file written during a build is not trusted).
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(dep, earlier, earlier);
    const after = await builtEntries(root, entries, cache);
    expect(after.built).toBe(true);
    expect(after.urls.main).not.toBe(before.urls.main);
    expect((await value(after.urls.main!)).answer).toBe('two');
    expect((await builtEntries(root, entries, cache)).built).toBe(false);
  });

  it('rebuilds when a lazily imported source changes', async () => {
    const path = join(root, 'src', 'later.ts');
    write(path, "export const later: string = 'lazy two, longer';\n");
    const after = await builtEntries(root, entries, cache);
    expect(after.built).toBe(true);
    expect(await (await value(after.urls.main!)).lazy()).toBe('lazy two, longer');
  });

  it("keeps another entry set's current build however old, while pruning superseded ones", async () => {
    const own = join(tree, 'prune-cache');
    const other = { other: 'src/dep.ts' };
    const first = await builtEntries(root, entries, own);
    const otherBuild = await builtEntries(root, other, own);
    const folder = (url: string): string => join(url.replace('file://', ''), '..');
    // Superseded: a new build of `entries` after a source change.
    const later = join(root, 'src', 'later.ts');
    write(later, "export const later: string = 'lazy three, longer still';\n");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(later, minuteAgo, minuteAgo);
    const second = await builtEntries(root, entries, own);
    expect(second.built).toBe(true);
    // Both older folders two hours old; the next build of `entries` prunes.
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(folder(first.urls.main!), old, old);
    utimesSync(folder(otherBuild.urls.other!), old, old);
    write(later, "export const later: string = 'lazy four, longest of them';\n");
    utimesSync(later, minuteAgo, minuteAgo);
    expect((await builtEntries(root, entries, own)).built).toBe(true);
    expect(existsSync(folder(first.urls.main!))).toBe(false);
    expect(existsSync(folder(otherBuild.urls.other!))).toBe(true);
    expect((await builtEntries(root, other, own)).built).toBe(false);
  });

  it('fails, caching nothing, when a source does not compile', async () => {
    const broken = join(tree, 'broken');
    write(join(broken, 'src', 'main.ts'), 'export const x = ;\n');
    await expect(builtEntries(broken, entries, join(tree, 'broken-cache'))).rejects.toThrow();
    expect(existsSync(join(tree, 'broken-cache')) ? readdirSync(join(tree, 'broken-cache')).filter((n) => n.startsWith('current-')) : []).toEqual([]);
  });
});

describe('insight runs the precompiled build', () => {
  const run = (cache: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', INSIGHT_CLI_CACHE: cache } });

  it('builds the cache on first use and runs from it, without a note', () => {
    const cache = join(repoCaches, 'fresh');
    const r = run(cache, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/insight run/);
    expect(r.stderr).toBe('');
    const built = readdirSync(cache);
    expect(built.filter((n) => n.startsWith('current-'))).toHaveLength(1);
    expect(built.filter((n) => n.startsWith('b-'))).toHaveLength(1);
    // The second run reuses it.
    expect(run(cache, '--help').status).toBe(0);
    expect(readdirSync(cache).filter((n) => n.startsWith('b-'))).toHaveLength(1);
  });

  it('falls back to tsx with a one-line note when the build cannot be made', () => {
    const notAFolder = join(repoCaches, 'a-file');
    writeFileSync(notAFolder, '');
    const r = run(join(notAFolder, 'cache'), '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/insight run/);
    expect(r.stderr).toMatch(/^insight: running the TypeScript through tsx \(the precompiled build failed: [^\n]*\)\n$/);
  });
});

describe("the insight command's V8 flags", () => {
  it('starts Node with cliNodeFlags from its first line, the flags the data bench runs its "as insight" children with', () => {
    const first = readFileSync(bin, 'utf8').split('\n')[0];
    expect(first).toBe(`#!/usr/bin/env -S node ${cliNodeFlags.join(' ')}`);
  });

  it('runs with them when started as a program (npx insight, ./bin/insight.mjs)', () => {
    const out = spawnSync(bin, ['--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('insight run');
  });
});
