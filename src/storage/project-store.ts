/**
 * Projects in IndexedDB: create, list, save (every save is a version), rename, duplicate,
 * delete to a bin with undo, restore a version, and the user's files and models. A save is
 * one transaction over the project and its new version: if it fails — quota exceeded, tab
 * closed mid-save — IndexedDB rolls it back and the last good version stays as it was.
 */
import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { PipelineDocument } from '../engine/document.ts';
import { canonicalJson } from '../engine/hash.ts';
import { openStudioDb, type DatasetRecord, type ModelRecord, type ProjectRecord, type ResultRecord, type StudioDb, type StudioSchema, type VersionReason, type VersionRecord } from './db.ts';
import { fingerprintFile, type DatasetFingerprint } from './fingerprint.ts';
import type { StoredResult } from './result-codec.ts';

/** Why a storage call failed. */
export type StorageErrorCode = 'storage.quota' | 'storage.notFound' | 'storage.failed' | 'storage.conflict';

/** Something the user may delete to free space. */
export interface DeletableItem {
  /** What it is. */
  kind: 'binned-project' | 'old-versions' | 'unused-dataset' | 'model' | 'cached-results';
  /** One line for the user, e.g. `12 old versions of "Churn"`. */
  label: string;
  /** Approximate bytes freed. */
  bytes: number;
  /** Project concerned, when there is one. */
  projectId?: string;
  /** Dataset SHA-256 or model key, when there is one. */
  key?: string;
  /** The project's or file's name it concerns (for labels in other languages). */
  name?: string;
  /** How many versions (old-versions). */
  count?: number;
}

/** A storage failure with a stable code and a sentence for the user. */
export class StorageError extends Error {
  /** Stable code. */
  readonly code: StorageErrorCode;
  /** What could be deleted to make room (quota errors). */
  readonly deletable: DeletableItem[];
  /** For conflicts: the project as the other tab saved it. */
  readonly theirs: ProjectRecord | null;
  constructor(code: StorageErrorCode, message: string, deletable: DeletableItem[] = [], theirs: ProjectRecord | null = null) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.deletable = deletable;
    this.theirs = theirs;
  }
}

/** Autosaves closer together than this (ms) replace the previous autosave version: one version per pause, not per keystroke. */
export const autosaveCoalesceMs = 5000;

/** The conflict error for a save based on an older head than the stored one. */
function conflict(theirs: ProjectRecord): StorageError {
  return new StorageError(
    'storage.conflict',
    `Another tab saved version ${theirs.head} of "${theirs.name}" at ${describeTime(theirs.updatedAt)} while you were editing here; your change is not saved yet. Reload theirs, or keep yours as a new version or as a copy.`,
    [],
    theirs,
  );
}

/** A project as the list shows it. */
export interface ProjectSummary {
  /** Id. */
  id: string;
  /** Name. */
  name: string;
  /** Created (ms). */
  createdAt: number;
  /** Last saved (ms). */
  updatedAt: number;
  /** Newest version number. */
  head: number;
  /** Number of nodes in the current document. */
  nodeCount: number;
  /** When it was binned, or null. */
  deletedAt: number | null;
}

/** A version as the version list shows it. */
export interface VersionSummary {
  /** Version number. */
  n: number;
  /** Saved (ms). */
  savedAt: number;
  /** Why. */
  reason: VersionReason;
  /** Nodes in that version. */
  nodeCount: number;
}

/** Test hooks: called inside a write transaction after its writes were issued. */
export interface StoreHooks {
  /** Throw here to make the transaction fail as a full disk would. */
  beforeCommit?: (operation: string) => void;
}

/** A stored file with its bytes. */
export interface StoredDataset {
  /** Fingerprint (name, size, columns, SHA-256). */
  fingerprint: DatasetFingerprint;
  /** The bytes. */
  bytes: Uint8Array;
}

/** Model artifacts as stored (the IOHandler converts from and to TensorFlow.js's form). */
export type ModelData = Omit<ModelRecord, 'projectId' | 'key' | 'savedAt'>;

const noop = (): void => undefined;

/** A readwrite transaction over some stores. */
type WriteTx = IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'readwrite'>;

/**
 * Registers one request of a transaction: the request gets a handler at once (idb's request
 * promises reject when the transaction aborts, and one that nobody awaits would surface as an
 * unhandled rejection), and the transaction waits for it before it is judged done.
 */
export type Track = <T>(request: Promise<T>) => Promise<T>;

function isQuotaError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('name' in err)) return false;
  return err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function summary(p: ProjectRecord): ProjectSummary {
  return { id: p.id, name: p.name, createdAt: p.createdAt, updatedAt: p.updatedAt, head: p.head, nodeCount: p.document.nodes.length, deletedAt: p.deletedAt };
}

function sameState(a: PipelineDocument, b: PipelineDocument, da: Record<string, DatasetFingerprint>, db: Record<string, DatasetFingerprint>): boolean {
  return canonicalJson(a) === canonicalJson(b) && canonicalJson(da) === canonicalJson(db);
}

function describeTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Approximate stored size of a document (UTF-16 in IndexedDB's structured clone). */
function docBytes(doc: PipelineDocument): number {
  return JSON.stringify(doc).length * 2;
}

/** Rough stored size of encoded outputs: typed arrays by bytes, the rest by JSON length. */
function approxBytes(value: unknown, depth = 0): number {
  if (depth > 32 || value === null || value === undefined) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'string') return value.length * 2;
  if (typeof value !== 'object') return 8;
  if (Array.isArray(value)) return value.reduce((s: number, v: unknown) => s + approxBytes(v, depth + 1), 0);
  return Object.values(value).reduce((s: number, v: unknown) => s + approxBytes(v, depth + 1), 0);
}

/** The project store over an open studio database. */
export class ProjectStore {
  /** The underlying database. */
  readonly db: StudioDb;
  private readonly hooks: StoreHooks;
  private readonly now: () => number;

  constructor(db: StudioDb, options: { hooks?: StoreHooks; now?: () => number } = {}) {
    this.db = db;
    this.hooks = options.hooks ?? {};
    this.now = options.now ?? Date.now;
  }

  /** Opens the studio database and returns a store over it. */
  static async open(options: { name?: string; hooks?: StoreHooks; now?: () => number } = {}): Promise<ProjectStore> {
    return new ProjectStore(await openStudioDb(options.name), options);
  }

  /** Closes the database connection. */
  close(): void {
    this.db.close();
  }

  /**
   * Reads in a readonly transaction of its own. Its completion gets a handler too: a read that
   * fails aborts the transaction, and idb's `done` promise would otherwise reject unheard.
   */
  private read<N extends StoreNames<StudioSchema>, T>(store: N, get: (store: IDBPObjectStore<StudioSchema, [N], N, 'readonly'>) => Promise<T>): Promise<T> {
    const tx = this.db.transaction(store, 'readonly');
    tx.done.catch(noop);
    return get(tx.store);
  }

  /** Live projects, most recently saved first. */
  async list(): Promise<ProjectSummary[]> {
    const all = await this.read('projects', (s) => s.getAll());
    return all.filter((p) => p.deletedAt === null).sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name)).map(summary);
  }

  /** Projects in the bin, most recently binned first. */
  async binned(): Promise<ProjectSummary[]> {
    const all = await this.read('projects', (s) => s.getAll());
    return all.filter((p) => p.deletedAt !== null).sort((a, b) => (b.deletedAt ?? 0) - (a.deletedAt ?? 0)).map(summary);
  }

  /** A project with its current document, or undefined. */
  async get(id: string): Promise<ProjectRecord | undefined> {
    return this.read('projects', (s) => s.get(id));
  }

  private async require(id: string): Promise<ProjectRecord> {
    const project = await this.get(id);
    if (!project) throw new StorageError('storage.notFound', `No project with id ${JSON.stringify(id)}.`);
    return project;
  }

  /** Creates a project from a document (version 1). */
  async create(document: PipelineDocument, options: { reason?: VersionReason; datasets?: Record<string, DatasetFingerprint> } = {}): Promise<ProjectRecord> {
    const t = this.now();
    const project: ProjectRecord = { id: crypto.randomUUID(), name: document.name, createdAt: t, updatedAt: t, head: 1, document, datasets: options.datasets ?? {}, deletedAt: null };
    const version: VersionRecord = { projectId: project.id, n: 1, savedAt: t, reason: options.reason ?? 'create', document, datasets: project.datasets };
    await this.write(['projects', 'versions'], 'create', null, (tx, track) => {
      track(tx.objectStore('projects').add(project));
      track(tx.objectStore('versions').add(version));
    });
    return project;
  }

  /**
   * Saves a document as the project's new version (one transaction). Saving what is already
   * the newest version is a no-op and returns it. On failure nothing changes and a
   * `StorageError` says which version is intact and what can be deleted.
   */
  async save(id: string, document: PipelineDocument, options: { reason?: VersionReason; datasets?: Record<string, DatasetFingerprint>; basedOn?: { head: number; updatedAt: number } } = {}): Promise<VersionSummary> {
    const current = await this.require(id);
    // The edit was made on the state `basedOn`; anything newer means another tab saved meanwhile.
    const based = options.basedOn;
    if (based !== undefined && (current.head !== based.head || current.updatedAt !== based.updatedAt)) throw conflict(current);
    const datasets = options.datasets ?? current.datasets;
    if (sameState(current.document, document, current.datasets, datasets)) {
      return { n: current.head, savedAt: current.updatedAt, reason: 'save', nodeCount: current.document.nodes.length };
    }
    const t = this.now();
    const reason = options.reason ?? 'save';
    // An autosave soon after an autosave replaces it; named versions (save, rename, restore...) are never replaced.
    const head = reason === 'autosave' ? await this.read('versions', (s) => s.get([id, current.head])) : undefined;
    const coalesce = head !== undefined && head.reason === 'autosave' && current.head > 1 && t - head.savedAt < autosaveCoalesceMs;
    const n = coalesce ? current.head : current.head + 1;
    const updated: ProjectRecord = { ...current, name: document.name, document, datasets, head: n, updatedAt: t };
    const version: VersionRecord = { projectId: id, n, savedAt: t, reason, document, datasets };
    await this.write(['projects', 'versions'], 'save', current, async (tx, track) => {
      // The version check inside the transaction: no other tab's save can land between it and the writes.
      const latest = await track(tx.objectStore('projects').get(id));
      if (!latest || latest.head !== current.head || latest.updatedAt !== current.updatedAt) throw conflict(latest ?? current);
      // Each write is tracked as it is issued: if the second throws (a full disk in some browsers), the first still has a handler.
      track(tx.objectStore('projects').put(updated));
      track(coalesce ? tx.objectStore('versions').put(version) : tx.objectStore('versions').add(version));
    });
    return { n, savedAt: t, reason, nodeCount: document.nodes.length };
  }

  /**
   * Saves a document as a new version with every write issued synchronously, for `pagehide`:
   * the page may be gone before any await returns. No read comes first; the version is
   * `add`ed, so if another tab already wrote that version number the transaction fails and
   * nothing is overwritten.
   */
  saveOnUnload(base: ProjectRecord, document: PipelineDocument, n = base.head + 1): ProjectRecord {
    const t = this.now();
    const tx = this.db.transaction(['projects', 'versions'], 'readwrite');
    tx.done.catch(noop);
    const version: VersionRecord = { projectId: base.id, n, savedAt: t, reason: 'autosave', document, datasets: base.datasets };
    tx.objectStore('versions').add(version).catch(noop);
    const updated: ProjectRecord = { ...base, name: document.name, document, head: n, updatedAt: t };
    tx.objectStore('projects').put(updated).catch(noop);
    // Commit now rather than when the (possibly dying) event loop next idles.
    tx.commit();
    return updated;
  }

  /**
   * Runs writes in one readwrite transaction. If anything fails the transaction is aborted
   * (so none of the writes land) and the error is translated for the user.
   */
  private async write<T>(stores: StoreNames<StudioSchema>[], operation: string, current: ProjectRecord | null, issue: (tx: WriteTx, track: Track) => Promise<T> | T): Promise<T> {
    const tx = this.db.transaction(stores, 'readwrite');
    tx.done.catch(noop);
    const requests: Promise<unknown>[] = [];
    const track: Track = (request) => {
      request.catch(noop);
      requests.push(request);
      return request;
    };
    try {
      // Inside the try: a put that throws synchronously (DataCloneError, a full disk in some
      // browsers) must abort the writes already issued, or the transaction would commit them.
      const result = await issue(tx, track);
      this.hooks.beforeCommit?.(operation);
      await Promise.all(requests);
      await tx.done;
      return result;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // Already aborted or finished by the failure itself.
      }
      throw await this.translate(err, current);
    }
  }

  private async translate(err: unknown, current: ProjectRecord | null): Promise<StorageError> {
    if (err instanceof StorageError) return err;
    const intact = current ? `Version ${current.head} of "${current.name}", saved ${describeTime(current.updatedAt)}, is intact.` : 'Nothing was changed.';
    if (isQuotaError(err)) {
      let deletable: DeletableItem[] = [];
      try {
        deletable = await this.deletable();
      } catch {
        deletable = [];
      }
      const hint = deletable.length > 0 ? ` To make room, delete: ${deletable.slice(0, 4).map((d) => d.label).join('; ')}.` : ' Delete a project or export it to a file and delete it here.';
      return new StorageError('storage.quota', `Storage is full, so this change was not saved. ${intact}${hint}`, deletable);
    }
    const reason = err instanceof Error ? err.message : String(err);
    return new StorageError('storage.failed', `Saving failed (${reason}). ${intact}`);
  }

  /** Renames a project (a new version with the new name). */
  async rename(id: string, name: string): Promise<VersionSummary> {
    const current = await this.require(id);
    return this.save(id, { ...current.document, name: name.slice(0, 200) }, { reason: 'rename' });
  }

  /** Copies a project's current document and files into a new project. */
  async duplicate(id: string, name?: string): Promise<ProjectRecord> {
    const current = await this.require(id);
    return this.create({ ...current.document, name: (name ?? `${current.name} (copy)`).slice(0, 200) }, { reason: 'duplicate', datasets: current.datasets });
  }

  /** Moves a project to the bin (undo with `undoRemove`; `purge` deletes for good). */
  async remove(id: string): Promise<void> {
    const current = await this.require(id);
    await this.write(['projects'], 'remove', current, (tx, track) => track(tx.objectStore('projects').put({ ...current, deletedAt: this.now() })));
  }

  /** Takes a project back out of the bin. */
  async undoRemove(id: string): Promise<void> {
    const current = await this.require(id);
    await this.write(['projects'], 'undo', current, (tx, track) => track(tx.objectStore('projects').put({ ...current, deletedAt: null })));
  }

  /** Deletes a project, its versions, models and cached results for good; then unused files. */
  async purge(id: string): Promise<void> {
    const range = IDBKeyRange.bound([id], [id, []]);
    await this.write(['projects', 'versions', 'models', 'results'], 'purge', null, (tx, track) => {
      track(tx.objectStore('projects').delete(id));
      track(tx.objectStore('versions').delete(range));
      track(tx.objectStore('models').delete(range));
      track(tx.objectStore('results').delete(range));
    });
    await this.collectDatasets();
  }

  /** Versions of a project, newest first. */
  async versions(id: string): Promise<VersionSummary[]> {
    const all = await this.read('versions', (s) => s.index('byProject').getAll(id));
    return all.sort((a, b) => b.n - a.n).map((v) => ({ n: v.n, savedAt: v.savedAt, reason: v.reason, nodeCount: v.document.nodes.length }));
  }

  /** One version with its document. */
  async version(id: string, n: number): Promise<VersionRecord> {
    const record = await this.read('versions', (s) => s.get([id, n]));
    if (!record) throw new StorageError('storage.notFound', `Project ${JSON.stringify(id)} has no version ${n}.`);
    return record;
  }

  /** Makes an old version current again (as a new version, so nothing is lost). */
  async restore(id: string, n: number): Promise<VersionSummary> {
    const old = await this.version(id, n);
    return this.save(id, old.document, { reason: 'restore', datasets: old.datasets });
  }

  /** Deletes all but the newest `keep` versions of a project; returns how many went. */
  async pruneVersions(id: string, keep: number): Promise<number> {
    const project = await this.require(id);
    const cutoff = project.head - Math.max(1, keep);
    if (cutoff < 1) return 0;
    const range = IDBKeyRange.bound([id, 0], [id, cutoff]);
    return this.write(['versions'], 'pruneVersions', project, async (tx, track) => {
      const count = await track(tx.objectStore('versions').count(range));
      track(tx.objectStore('versions').delete(range));
      return count;
    });
  }

  /** Stores a user's file (once per content) and binds it to a node of the project. */
  async attachDataset(projectId: string, nodeId: string, name: string, bytes: Uint8Array, options: { projectName?: string } = {}): Promise<DatasetFingerprint> {
    const fingerprint = await fingerprintFile(name, bytes);
    const current = await this.require(projectId);
    // The same version may name the project (a new project takes its first file's name).
    const renamed = options.projectName === undefined ? null : options.projectName;
    const document = renamed === null ? current.document : { ...current.document, name: renamed };
    // The Blob copies the bytes it is given, so a view of them is all it needs (a copy first would hold the file twice).
    const part = bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes.slice();
    const record: DatasetRecord = { ...fingerprint, blob: new Blob([part]), addedAt: this.now() };
    const t = this.now();
    const datasets = { ...current.datasets, [nodeId]: fingerprint };
    const n = current.head + 1;
    const updated: ProjectRecord = { ...current, ...(renamed === null ? {} : { name: renamed }), document, datasets, head: n, updatedAt: t };
    const version: VersionRecord = { projectId, n, savedAt: t, reason: 'save', document, datasets };
    await this.write(['datasets', 'projects', 'versions'], 'attachDataset', current, (tx, track) => {
      track(tx.objectStore('datasets').put(record));
      track(tx.objectStore('projects').put(updated));
      track(tx.objectStore('versions').add(version));
    });
    return fingerprint;
  }

  /** A stored file's bytes by SHA-256, or undefined. */
  async dataset(sha256: string): Promise<StoredDataset | undefined> {
    const record = await this.read('datasets', (s) => s.get(sha256));
    if (!record) return undefined;
    const { blob, addedAt: _addedAt, ...fingerprint } = record;
    return { fingerprint, bytes: new Uint8Array(await blob.arrayBuffer()) };
  }

  /** Deletes stored files that no project (live or binned) and no version refers to. */
  async collectDatasets(): Promise<number> {
    const used = new Set<string>();
    for (const p of await this.read('projects', (s) => s.getAll())) for (const fp of Object.values(p.datasets)) used.add(fp.sha256);
    for (const v of await this.read('versions', (s) => s.getAll())) for (const fp of Object.values(v.datasets)) used.add(fp.sha256);
    return this.write(['datasets'], 'collectDatasets', null, async (tx, track) => {
      let removed = 0;
      for (const key of await track(tx.objectStore('datasets').getAllKeys())) {
        if (!used.has(key)) {
          track(tx.objectStore('datasets').delete(key));
          removed++;
        }
      }
      return removed;
    });
  }

  /** Stores a model's artifacts under (project, key). */
  async putModel(projectId: string, key: string, data: ModelData): Promise<void> {
    const current = await this.require(projectId);
    const record: ModelRecord = { projectId, key, savedAt: this.now(), ...data };
    await this.write(['models'], 'putModel', current, (tx, track) => track(tx.objectStore('models').put(record)));
  }

  /** A stored model's artifacts, or undefined. */
  async getModel(projectId: string, key: string): Promise<ModelRecord | undefined> {
    return this.read('models', (s) => s.get([projectId, key]));
  }

  /** Stores nodes' encoded outputs under the engine's cache hashes (one transaction). */
  async putResults(projectId: string, results: readonly StoredResult[]): Promise<void> {
    if (results.length === 0) return;
    const current = await this.require(projectId);
    const t = this.now();
    await this.write(['results'], 'putResults', current, (tx, track) => {
      for (const r of results) {
        const record: ResultRecord = { projectId, nodeId: r.nodeId, hash: r.hash, savedAt: t, status: r.status, outputs: r.outputs };
        track(tx.objectStore('results').put(record));
      }
    });
  }

  /** Stored outputs of every node of a project. */
  async results(projectId: string): Promise<StoredResult[]> {
    const records = await this.read('results', (s) => s.index('byProject').getAll(projectId));
    return records.map((r) => ({ nodeId: r.nodeId, hash: r.hash, status: r.status, outputs: r.outputs }));
  }

  /** What could be deleted to free space, biggest first. */
  async deletable(): Promise<DeletableItem[]> {
    const items: DeletableItem[] = [];
    const projects = await this.read('projects', (s) => s.getAll());
    const names = new Map(projects.map((p) => [p.id, p.name]));
    for (const p of projects) {
      if (p.deletedAt !== null) items.push({ kind: 'binned-project', label: `the binned project "${p.name}"`, name: p.name, bytes: docBytes(p.document) * p.head, projectId: p.id });
    }
    const versions = await this.read('versions', (s) => s.getAll());
    const byProject = new Map<string, VersionRecord[]>();
    for (const v of versions) byProject.set(v.projectId, [...(byProject.get(v.projectId) ?? []), v]);
    for (const [projectId, list] of byProject) {
      const old = list.sort((a, b) => b.n - a.n).slice(10);
      if (old.length > 0 && names.has(projectId)) {
        items.push({ kind: 'old-versions', label: `${old.length} old version${old.length > 1 ? 's' : ''} of "${names.get(projectId) ?? ''}"`, bytes: old.reduce((s, v) => s + docBytes(v.document), 0), projectId, name: names.get(projectId) ?? '', count: old.length });
      }
    }
    const live = new Set<string>();
    for (const p of projects) if (p.deletedAt === null) for (const fp of Object.values(p.datasets)) live.add(fp.sha256);
    for (const d of await this.read('datasets', (s) => s.getAll())) {
      if (!live.has(d.sha256)) items.push({ kind: 'unused-dataset', label: `the file "${d.name}" (no open project uses it)`, bytes: d.size, key: d.sha256, name: d.name });
    }
    const resultSizes = new Map<string, number>();
    for (const r of await this.read('results', (s) => s.getAll())) resultSizes.set(r.projectId, (resultSizes.get(r.projectId) ?? 0) + approxBytes(r.outputs));
    for (const [projectId, bytes] of resultSizes) {
      items.push({ kind: 'cached-results', label: `the kept results of "${names.get(projectId) ?? ''}" (run again to get them back)`, bytes, projectId, name: names.get(projectId) ?? '' });
    }
    for (const m of await this.read('models', (s) => s.getAll())) {
      items.push({ kind: 'model', label: `the trained model "${m.key}" of "${names.get(m.projectId) ?? ''}" (retrain to get it back)`, bytes: m.weightData.byteLength, projectId: m.projectId, key: m.key, name: names.get(m.projectId) ?? '' });
    }
    return items.sort((a, b) => b.bytes - a.bytes);
  }

  /** Deletes one item listed by `deletable`. */
  async free(item: DeletableItem): Promise<void> {
    switch (item.kind) {
      case 'binned-project':
        if (item.projectId) await this.purge(item.projectId);
        return;
      case 'old-versions':
        if (item.projectId) await this.pruneVersions(item.projectId, 10);
        return;
      case 'unused-dataset':
        if (item.key) {
          const key = item.key;
          await this.write(['datasets'], 'free', null, (tx, track) => track(tx.objectStore('datasets').delete(key)));
        }
        return;
      case 'model':
        if (item.projectId && item.key) {
          const key: [string, string] = [item.projectId, item.key];
          await this.write(['models'], 'free', null, (tx, track) => track(tx.objectStore('models').delete(key)));
        }
        return;
      case 'cached-results':
        if (item.projectId) {
          const range = IDBKeyRange.bound([item.projectId], [item.projectId, []]);
          await this.write(['results'], 'free', null, (tx, track) => track(tx.objectStore('results').delete(range)));
        }
        return;
      default: {
        const never: never = item.kind;
        throw new Error(`Unknown item kind ${String(never)}`);
      }
    }
  }
}
