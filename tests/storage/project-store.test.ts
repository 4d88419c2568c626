import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { ProjectStore, StorageError } from '../../src/storage/project-store.ts';

const base: PipelineDocument = {
  format: 'insight-pipeline',
  version: 1,
  name: 'Churn',
  description: '',
  seed: 42,
  nodes: [{ id: 'load1', kind: 'load', version: 1, params: {}, position: [0, 0], note: '' }],
  edges: [],
  notes: [],
};
const edited: PipelineDocument = { ...base, nodes: [...base.nodes, { id: 'norm1', kind: 'normalise', version: 1, params: { method: 'z-score' }, position: [200, 0], note: '' }] };

const open: ProjectStore[] = [];
let clock = Date.UTC(2026, 10, 28, 12, 0, 0);
const now = (): number => (clock += 1000);

async function storeNamed(name: string, hooks = {}): Promise<ProjectStore> {
  const store = await ProjectStore.open({ name, hooks, now });
  open.push(store);
  return store;
}

afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('projects', () => {
  it('creates a project as version 1 and lists it', async () => {
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    expect(await store.list()).toEqual([{ id: p.id, name: 'Churn', createdAt: p.createdAt, updatedAt: p.createdAt, head: 1, nodeCount: 1, deletedAt: null }]);
    expect((await store.versions(p.id)).map((v) => [v.n, v.reason, v.nodeCount])).toEqual([[1, 'create', 1]]);
  });

  it('keeps one version per save, skips saves that change nothing, and survives reopening', async () => {
    const name = crypto.randomUUID();
    const store = await storeNamed(name);
    const p = await store.create(base);
    expect((await store.save(p.id, edited)).n).toBe(2);
    expect((await store.save(p.id, edited)).n).toBe(2);
    store.close();
    const again = await storeNamed(name);
    const back = await again.get(p.id);
    expect(back?.head).toBe(2);
    expect(back?.document).toEqual(edited);
    expect((await again.versions(p.id)).map((v) => v.n)).toEqual([2, 1]);
  });

  it('renames (a new version), duplicates and restores an old version without losing history', async () => {
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    await store.save(p.id, edited);
    expect(await store.rename(p.id, 'Churn v2')).toMatchObject({ n: 3, reason: 'rename', nodeCount: 2 });
    const copy = await store.duplicate(p.id);
    expect(copy.name).toBe('Churn v2 (copy)');
    expect(copy.document).toEqual({ ...edited, name: 'Churn v2 (copy)' });
    expect(await store.restore(p.id, 1)).toMatchObject({ n: 4, reason: 'restore', nodeCount: 1 });
    expect((await store.get(p.id))?.document).toEqual(base);
    expect((await store.versions(p.id)).map((v) => `${v.n}:${v.reason}`)).toEqual(['4:restore', '3:rename', '2:save', '1:create']);
    // Restoring brings back v1's name too, and makes the project the most recently saved.
    expect((await store.list()).map((s) => s.name)).toEqual(['Churn', 'Churn v2 (copy)']);
  });

  it('deletes to a bin with undo, and purges for good', async () => {
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    await store.remove(p.id);
    expect(await store.list()).toEqual([]);
    expect((await store.binned()).map((b) => b.id)).toEqual([p.id]);
    await store.undoRemove(p.id);
    expect((await store.list()).map((b) => b.id)).toEqual([p.id]);
    await store.remove(p.id);
    await store.purge(p.id);
    expect(await store.get(p.id)).toBeUndefined();
    expect(await store.versions(p.id)).toEqual([]);
  });

  it('stores a file once by SHA-256, binds it to a node and gives the same bytes back after reopening', async () => {
    const name = crypto.randomUUID();
    const store = await storeNamed(name);
    const p = await store.create(base);
    const bytes = new TextEncoder().encode('id,amount\n1,9.5\n2,3\n');
    const fp = await store.attachDataset(p.id, 'load1', 'orders.csv', bytes);
    expect(fp).toEqual({ name: 'orders.csv', size: bytes.length, columns: ['id', 'amount'], sha256: createHash('sha256').update(bytes).digest('hex') });
    store.close();
    const again = await storeNamed(name);
    const project = await again.get(p.id);
    expect(project?.datasets).toEqual({ load1: fp });
    const stored = await again.dataset(fp.sha256);
    expect(stored?.fingerprint).toEqual(fp);
    expect(Array.from(stored?.bytes ?? [])).toEqual(Array.from(bytes));
  });

  it('prunes all but the newest versions', async () => {
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    for (let i = 0; i < 5; i++) await store.save(p.id, { ...base, seed: i });
    expect(await store.pruneVersions(p.id, 2)).toBe(4);
    expect((await store.versions(p.id)).map((v) => v.n)).toEqual([6, 5]);
  });
});

describe('a failed save leaves the last good version intact', () => {
  it('rolls back a save whose transaction hits the quota and says what can be deleted', async () => {
    const name = crypto.randomUUID();
    let full = false;
    const store = await storeNamed(name, {
      beforeCommit: (operation: string) => {
        if (full && operation === 'save') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    });
    const p = await store.create(base);
    await store.save(p.id, edited);
    const goodAt = (await store.get(p.id))?.updatedAt ?? 0;
    const binned = await store.create({ ...base, name: 'Old study' });
    await store.remove(binned.id);
    full = true;
    const error = await store.save(p.id, { ...edited, seed: 7 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(StorageError);
    if (!(error instanceof StorageError)) return;
    expect(error.code).toBe('storage.quota');
    expect(error.message).toBe(
      `Storage is full, so this change was not saved. Version 2 of "Churn", saved ${new Date(goodAt).toISOString().replace('T', ' ').slice(0, 16)} UTC, is intact. To make room, delete: the binned project "Old study".`,
    );
    expect(error.deletable.map((d) => d.kind)).toEqual(['binned-project']);
    store.close();
    // A fresh connection sees exactly version 2: the project write issued before the failure was rolled back.
    const again = await storeNamed(name);
    const project = await again.get(p.id);
    expect(project?.head).toBe(2);
    expect(project?.document).toEqual(edited);
    expect((await again.versions(p.id)).map((v) => v.n)).toEqual([2, 1]);
    await again.free(error.deletable[0] ?? { kind: 'binned-project', label: '', bytes: 0 });
    expect(await again.get(binned.id)).toBeUndefined();
  });

  it('rolls back an attached file when the transaction fails for another reason', async () => {
    const store = await storeNamed(crypto.randomUUID(), {
      beforeCommit: (operation: string) => {
        if (operation === 'attachDataset') throw new Error('tab closed');
      },
    });
    const p = await store.create(base);
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    await expect(store.attachDataset(p.id, 'load1', 'x.csv', bytes)).rejects.toThrow(/^Saving failed \(tab closed\)\. Version 1 of "Churn", saved .* UTC, is intact\.$/);
    expect((await store.get(p.id))?.datasets).toEqual({});
    expect(await store.dataset(createHash('sha256').update(bytes).digest('hex'))).toBeUndefined();
  });
});

describe('a write that throws while being issued', () => {
  it('aborts the writes already issued in the same transaction', async () => {
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    // A function cannot be stored: the version add throws DataCloneError after the project put was issued.
    const unstorable = { ...edited, notes: [{ id: 'n1', text: 'x', position: [0, 0] as [number, number], extra: () => 1 }] };
    await expect(store.save(p.id, unstorable)).rejects.toThrow(/^Saving failed \(.*\)\. Version 1 of "Churn", saved .* UTC, is intact\.$/);
    const back = await store.get(p.id);
    expect(back?.head).toBe(1);
    expect(back?.document).toEqual(base);
  });
});

describe('no rejection left unhandled', () => {
  it('a version write that throws after the project write was issued rolls both back and leaves no rejection unhandled', async () => {
    const unhandled: unknown[] = [];
    const hear = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', hear);
    const add = IDBObjectStore.prototype.add;
    const store = await storeNamed(crypto.randomUUID());
    const p = await store.create(base);
    // Some browsers throw a full disk from add() itself, after the project put was already issued.
    IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      if (this.name === 'versions') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add.apply(this, args);
    };
    try {
      await expect(store.save(p.id, edited)).rejects.toMatchObject({ code: 'storage.quota' });
      // The aborted put's rejection arrives after the save has rejected; give it time to be (un)handled.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      IDBObjectStore.prototype.add = add;
      process.off('unhandledRejection', hear);
    }
    expect(unhandled).toEqual([]);
    expect((await store.get(p.id))?.head).toBe(1);
    expect((await store.versions(p.id)).map((v) => v.n)).toEqual([1]);
  });
});
