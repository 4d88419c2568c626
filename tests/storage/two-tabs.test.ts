/**
 * Two tabs on one project, autosave coalescing and the pagehide write, against fake-indexeddb:
 * two stores over one database stand for two tabs.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { autosaveCoalesceMs, ProjectStore, StorageError } from '../../src/storage/project-store.ts';

const doc = (nodes: number, name = 'Churn'): PipelineDocument => ({
  format: 'insight-pipeline',
  version: 1,
  name,
  description: '',
  seed: 42,
  nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, kind: 'load', version: 1, params: {}, position: [i * 10, 0] as [number, number], note: '' })),
  edges: [],
  notes: [],
});

const open: ProjectStore[] = [];
let clock = Date.UTC(2026, 10, 28, 12, 0, 0);
const now = (): number => clock;
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

async function tabs(): Promise<[ProjectStore, ProjectStore]> {
  const name = crypto.randomUUID();
  const a = await ProjectStore.open({ name, now });
  const b = await ProjectStore.open({ name, now });
  open.push(a, b);
  return [a, b];
}

describe('two tabs on one project', () => {
  it("refuses a save based on a version another tab has replaced, and names the other tab's version", async () => {
    const [a, b] = await tabs();
    const p = await a.create(doc(1));
    const seenByB = await b.get(p.id);
    clock += 10_000;
    const v2 = await a.save(p.id, doc(2), { reason: 'autosave', basedOn: { head: 1, updatedAt: p.updatedAt } });
    expect(v2.n).toBe(2);
    clock += 10_000;
    const attempt = b.save(p.id, doc(0), { reason: 'autosave', basedOn: { head: seenByB?.head ?? 0, updatedAt: seenByB?.updatedAt ?? 0 } });
    await expect(attempt).rejects.toThrow(StorageError);
    await expect(attempt).rejects.toMatchObject({ code: 'storage.conflict', theirs: { head: 2 } });
    await expect(attempt).rejects.toThrow('Another tab saved version 2 of "Churn"');
    // Tab A's duplicate survives: nothing of B's landed.
    expect((await a.get(p.id))?.document.nodes).toHaveLength(2);
    expect((await a.versions(p.id)).map((v) => v.n)).toEqual([2, 1]);
  });

  it('keeps mine on top as a new version once the person chooses, so both are in the history', async () => {
    const [a, b] = await tabs();
    const p = await a.create(doc(1));
    clock += 10_000;
    await a.save(p.id, doc(2), { reason: 'save' });
    const theirs = await b.get(p.id);
    clock += 10_000;
    const mine = await b.save(p.id, doc(3), { reason: 'save', basedOn: { head: theirs?.head ?? 0, updatedAt: theirs?.updatedAt ?? 0 } });
    expect(mine.n).toBe(3);
    expect((await a.version(p.id, 2)).document.nodes).toHaveLength(2);
    expect((await a.version(p.id, 3)).document.nodes).toHaveLength(3);
  });
});

describe('autosave versions', () => {
  it('replaces an autosave made less than 5 s before, and starts a new version after a pause; named versions are kept', async () => {
    const [a] = await tabs();
    const p = await a.create(doc(1));
    clock += 10_000;
    expect((await a.save(p.id, doc(2), { reason: 'autosave' })).n).toBe(2);
    clock += 1000;
    expect((await a.save(p.id, doc(3), { reason: 'autosave' })).n).toBe(2);
    clock += 1000;
    expect((await a.save(p.id, doc(4), { reason: 'autosave' })).n).toBe(2);
    clock += autosaveCoalesceMs + 1;
    expect((await a.save(p.id, doc(5), { reason: 'autosave' })).n).toBe(3);
    clock += 1000;
    expect((await a.save(p.id, doc(6), { reason: 'save' })).n).toBe(4);
    clock += 1000;
    expect((await a.save(p.id, doc(7), { reason: 'autosave' })).n).toBe(5);
    const versions = await a.versions(p.id);
    expect(versions.map((v) => [v.n, v.reason, v.nodeCount])).toEqual([
      [5, 'autosave', 7],
      [4, 'save', 6],
      [3, 'autosave', 5],
      [2, 'autosave', 4],
      [1, 'create', 1],
    ]);
  });
});

describe('the pagehide write', () => {
  it('lands with every request issued synchronously', async () => {
    const [a, b] = await tabs();
    const p = await a.create(doc(1));
    clock += 1000;
    const written = a.saveOnUnload(p, doc(2));
    expect(written.head).toBe(2);
    // Another connection sees it once the transaction commits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await b.get(p.id))?.document.nodes).toHaveLength(2);
    expect((await b.versions(p.id)).map((v) => [v.n, v.reason])).toEqual([
      [2, 'autosave'],
      [1, 'create'],
    ]);
  });

  it("writes nothing when another tab already took that version number", async () => {
    const [a, b] = await tabs();
    const p = await a.create(doc(1));
    clock += 1000;
    await b.save(p.id, doc(5), { reason: 'save' });
    a.saveOnUnload(p, doc(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await b.get(p.id))?.document.nodes).toHaveLength(5);
    expect((await b.version(p.id, 2)).document.nodes).toHaveLength(5);
  });
});
