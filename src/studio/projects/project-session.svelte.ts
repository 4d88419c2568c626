/**
 * The open project and the project list, for the studio page: create, open, autosave
 * (debounced), rename, duplicate, delete with undo, versions, import/export, share links,
 * the user's files (stored once, re-bound to their nodes on open) and the storage meter.
 * Self-contained: the page passes every document change to `onChange` and hears opened
 * documents through `onOpen`; the engine is reached only through the small `SessionEngine`.
 */
import { blankDocument, type PipelineDocument } from '../../engine/document.ts';
import type { InsightIssue } from '../../engine/errors.ts';
import type { ValidationResult } from '../../engine/service.ts';
import { exportProjectFile, importProjectFile, type ProjectFile } from '../../share/file-codec.ts';
import { decodeShareLink, encodeShareLink, type DatasetToShare, type EncodedLink, type LinkErrorCode, type SharedDatasetRef } from '../../share/link-codec.ts';
import type { MessageKey } from '../i18n/en.ts';
import { createAutosave, type Autosave, type AutosaveState } from '../../storage/autosave.ts';
import type { ProjectRecord } from '../../storage/db.ts';
import { fingerprintDifferences, fingerprintFile, fingerprintKey, type DatasetFingerprint } from '../../storage/fingerprint.ts';
import { ProjectStore, StorageError, type DeletableItem, type ProjectSummary, type StoreHooks, type VersionSummary } from '../../storage/project-store.ts';
import { requestPersistence, storageUse, type StorageUse } from '../../storage/quota.ts';
import { diffDocuments, type DocumentDiff } from '../../storage/version-diff.ts';
import type { StoredResult } from '../../storage/result-codec.ts';
import { readBlobInPieces } from '../file-bytes.ts';
import { deletableMsg, issueLines, msg, renderMsg, type DetailLine, type Msg } from './session-text.ts';
import { fileDifferenceMsgs } from './diff-text.ts';
import type { Locale } from '../i18n/index.ts';

/** The engine calls the session needs (the Comlink client satisfies it). */
export interface SessionEngine {
  /** Full validation (node kinds, params, ports). */
  validate(input: unknown): Promise<ValidationResult>;
  /** Binds a file to a node so the node reads it. */
  bindFile(nodeId: string, name: string, bytes: Uint8Array, fingerprint: string): Promise<string>;
  /** Removes a node's file. */
  unbindFile(nodeId: string): Promise<void>;
  /** Encoded results worth keeping (models, slow nodes) that match the document now. */
  keepableResults?(doc: PipelineDocument): Promise<StoredResult[]>;
  /** Seeds the engine's cache with stored results; returns the node ids taken. */
  restoreResults?(doc: PipelineDocument, results: StoredResult[]): Promise<string[]>;
  /** Lets load nodes fetch from these origins (the person said yes); others are refused. */
  allowOrigins?(origins: string[]): Promise<void>;
}

/** The off-origin addresses load nodes of a document would fetch (http(s) URLs on another origin than the page). */
export function offOriginUrls(document: PipelineDocument, pageOrigin: string): { node: string; url: string; origin: string }[] {
  const out: { node: string; url: string; origin: string }[] = [];
  for (const node of document.nodes) {
    if (node.kind !== 'load' || node.params.source !== 'url' || typeof node.params.url !== 'string' || node.params.url.trim() === '') continue;
    let parsed: URL;
    try {
      parsed = new URL(node.params.url.trim(), pageOrigin);
    } catch {
      continue;
    }
    if (parsed.origin !== pageOrigin) out.push({ node: node.id, url: parsed.href, origin: parsed.origin });
  }
  return out;
}

/** A message for the user. */
export interface SessionMessage {
  /** How it is shown. */
  tone: 'info' | 'ok' | 'warn' | 'error';
  /** The sentence (rendered in the page's language). */
  text: Msg;
  /** Details (problems, fingerprint differences). */
  details: DetailLine[];
}

/** A file a shared pipeline needs and the user has not given yet. */
export interface MissingFile {
  /** The node that reads it. */
  node: string;
  /** What the sender's file looked like. */
  expected: DatasetFingerprint;
}

/** Options of `ProjectSession.start`. */
export interface SessionOptions {
  /** The engine (omit in pages that only manage projects). */
  engine?: SessionEngine;
  /** Database name (tests use their own). */
  storeName?: string;
  /** Autosave quiet period in ms (default 250, so an edit is in IndexedDB within 300 ms). */
  autosaveMs?: number;
  /** Called with the document whenever a project is opened, restored or imported. */
  onOpen?: (document: PipelineDocument) => void;
  /** Test hooks for the store. */
  hooks?: StoreHooks;
  /** Called when the open project took a name by itself (an untitled project's first file); without it, `onOpen` hears the document. */
  onNamed?: (name: string) => void;
  /** The page's language now, for names the session gives ("… (this tab)"); English without it. */
  locale?: () => Locale;
}

/** Names a project keeps only until it is named: empty, "Untitled", "Untitled pipeline". */
export function isUntitled(name: string): boolean {
  return /^\s*(untitled( pipeline)?)?\s*$/i.test(name);
}

/** A project name from a file name: its base name without the extension ("telco-churn.csv" → "telco-churn"). */
export function nameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const bare = base.replace(/\.(insight\.json|[a-z0-9]{1,8})$/i, '').trim();
  return (bare || base).slice(0, 120);
}

/** A time as the store writes it in its messages ("2026-12-01 11:20 UTC"). */
function describeTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** Another tab saved the open project while this tab had unsaved edits. */
export interface SaveConflict {
  /** The version the other tab saved. */
  theirs: number;
  /** The project's name there. */
  name: string;
}

/** A storage or link fault shown in a dialog, with what to do. */
export interface Fault {
  /** What kind of fault (chooses the dialog's actions). */
  kind: 'storage-full' | 'storage-failed' | 'conflict' | 'link' | 'file-not-stored' | 'file-differs' | 'consent';
  /** The headline. */
  title: Msg;
  /** The sentence saying what happened and what was kept. */
  text: Msg;
  /** Details (things to delete, problems). */
  details: DetailLine[];
}

/** Channel on which tabs of this origin announce their saves. */
const channelName = 'insight-projects';

/** State and actions of the projects area. */
export class ProjectSession {
  /** Live projects, newest first. */
  projects = $state.raw<ProjectSummary[]>([]);
  /** Projects in the bin. */
  binned = $state.raw<ProjectSummary[]>([]);
  /** The open project (its last saved state). */
  current = $state.raw<ProjectRecord | null>(null);
  /** The document as edited now (may be ahead of the last save). */
  document = $state.raw<PipelineDocument | null>(null);
  /** Versions of the open project, newest first. */
  versions = $state.raw<VersionSummary[]>([]);
  /** Autosave state. */
  saveState = $state<AutosaveState>('idle');
  /** The latest message for the user. */
  message = $state.raw<SessionMessage | null>(null);
  /** What can be deleted when storage is full. */
  deletable = $state.raw<DeletableItem[]>([]);
  /** Storage use for the meter. */
  use = $state.raw<StorageUse | null>(null);
  /** Files a shared pipeline needs from the user. */
  missingFiles = $state.raw<MissingFile[]>([]);
  /** The last project moved to the bin (for Undo). */
  lastRemoved = $state.raw<ProjectSummary | null>(null);
  /** Nodes whose results (e.g. a trained model) came back from storage when the project opened. */
  restoredResults = $state.raw<string[]>([]);
  /** Set while another tab's save conflicts with this tab's unsaved edits. */
  conflict = $state.raw<SaveConflict | null>(null);
  /** The fault to show in a dialog, or null. */
  fault = $state.raw<Fault | null>(null);
  /** One line for the status bar about saving: "Saved as version 4", "Storage is full — not saved"; null before the first save. */
  saveNote = $state.raw<Msg | null>(null);

  /** The project store. */
  readonly store: ProjectStore;
  private readonly engine: SessionEngine | undefined;
  private readonly onOpen: (document: PipelineDocument) => void;
  private readonly onNamed: ((name: string) => void) | undefined;
  private readonly locale: () => Locale;
  private readonly autosave: Autosave<{ id: string; document: PipelineDocument }>;
  private readonly channel: BroadcastChannel | null;
  /** The newest edit not yet known to be stored (for the pagehide write). */
  private unsaved: { id: string; document: PipelineDocument } | null = null;
  private saving = false;
  /** Origins the person allowed load nodes to fetch from, and addresses they declined for now. */
  private readonly allowed = new Set<string>();
  private readonly declined = new Set<string>();
  private consentTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(store: ProjectStore, options: SessionOptions) {
    this.store = store;
    this.engine = options.engine;
    this.onOpen = options.onOpen ?? (() => undefined);
    this.onNamed = options.onNamed;
    this.locale = options.locale ?? (() => 'en');
    this.autosave = createAutosave({
      delayMs: options.autosaveMs ?? 250,
      save: async ({ id, document }) => {
        const base = this.current;
        if (!base || base.id !== id) return;
        this.saving = true;
        try {
          const saved = await this.store.save(id, document, { reason: 'autosave', basedOn: { head: base.head, updatedAt: base.updatedAt } });
          if (this.unsaved?.document === document) this.unsaved = null;
          this.saved(saved.n);
          if (this.current?.id === id) await this.reloadCurrent();
        } finally {
          this.saving = false;
        }
      },
      onState: (state, error) => {
        this.saveState = state;
        if (state === 'error') this.fail(error);
      },
    });
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(channelName);
    this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => void this.guard(undefined, () => this.heard(event.data)));
  }

  /**
   * Runs a step the page starts without awaiting it (a click, a broadcast): a rejection — an
   * aborted transaction, a closed database — is shown as a fault, never left unhandled.
   */
  private async guard<T>(fallback: T, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      this.fail(err);
      return fallback;
    }
  }

  /** A save landed: the status bar says so, and a storage fault it outlived is cleared. */
  private saved(n: number): void {
    this.saveNote = msg('projects.savedAs', { n });
    if (this.fault?.kind === 'storage-full' || this.fault?.kind === 'storage-failed') this.fault = null;
    if (this.message?.tone === 'error' && (this.message.text.key === 'session.storageFull' || this.message.text.key === 'session.saveFailed')) this.message = null;
    const id = this.current?.id;
    if (id) this.channel?.postMessage({ type: 'saved', id, head: n });
  }

  /** Another tab saved a project: show it here, or, with unsaved edits here, ask. */
  private async heard(data: unknown): Promise<void> {
    if (typeof data !== 'object' || data === null || !('type' in data) || data.type !== 'saved' || !('id' in data)) return;
    const current = this.current;
    if (!current || data.id !== current.id) {
      await this.refresh();
      return;
    }
    const latest = await this.store.get(current.id);
    if (!latest || (latest.head === current.head && latest.updatedAt === current.updatedAt)) return;
    if (this.unsaved !== null || this.saveState === 'pending' || this.saveState === 'saving') {
      this.showConflict(latest);
      return;
    }
    await this.open(current.id);
    this.say('info', msg('session.otherTabShown', { n: latest.head, name: latest.name }));
  }

  private showConflict(theirs: ProjectRecord): void {
    this.conflict = { theirs: theirs.head, name: theirs.name };
    this.saveNote = msg('session.noteConflict');
    this.fault = { kind: 'conflict', title: msg('session.conflictTitle'), text: msg('session.conflictText', { n: theirs.head, name: theirs.name }), details: [] };
  }

  /** Resolves a conflict: reload the other tab's version, keep mine on top as a new version, or keep mine as a new project. */
  async resolveConflict(choice: 'reload' | 'keep-mine' | 'fork'): Promise<void> {
    const current = this.current;
    const mine = this.document;
    if (!current || !mine) return;
    this.autosave.cancel();
    this.unsaved = null;
    this.conflict = null;
    this.fault = null;
    try {
      const theirs = (await this.store.get(current.id)) ?? current;
      if (choice === 'reload') {
        await this.open(current.id);
        this.say('info', msg('session.reloadedTheirs', { n: theirs.head }));
      } else if (choice === 'keep-mine') {
        const saved = await this.store.save(current.id, mine, { reason: 'save', basedOn: { head: theirs.head, updatedAt: theirs.updatedAt } });
        this.saved(saved.n);
        await this.reloadCurrent();
        this.say('ok', msg('session.keptMine', { n: saved.n, theirs: theirs.head }));
      } else {
        const name = renderMsg(this.locale(), msg('session.forkName', { name: mine.name }));
        await this.create({ ...mine, name }, current.datasets);
        this.say('ok', msg('session.keptCopy', { name, theirName: theirs.name, theirs: theirs.head }));
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /** Opens the database and the project list. */
  static async start(options: SessionOptions = {}): Promise<ProjectSession> {
    const store = await ProjectStore.open({ ...(options.storeName ? { name: options.storeName } : {}), ...(options.hooks ? { hooks: options.hooks } : {}) });
    const session = new ProjectSession(store, options);
    await session.refresh();
    return session;
  }

  private say(tone: SessionMessage['tone'], text: Msg, details: DetailLine[] = []): void {
    this.message = { tone, text, details };
  }

  /**
   * Asks before any load node fetches from another site: lists the addresses the document
   * names that were neither allowed nor declined. Called when a document opens and after edits.
   */
  checkConsent(document: PipelineDocument | null = this.document): void {
    if (!document || typeof location === 'undefined') return;
    const wanted = offOriginUrls(document, location.origin).filter((u) => !this.allowed.has(u.origin) && !this.declined.has(u.url));
    if (wanted.length === 0) {
      if (this.fault?.kind === 'consent') this.fault = null;
      return;
    }
    this.pendingConsent = wanted;
    this.fault = { kind: 'consent', title: msg('session.consentTitle'), text: msg(wanted.length === 1 ? 'session.consentOne' : 'session.consentMany'), details: wanted.map((u) => `${u.node}: ${u.url}`) };
  }

  /** Addresses waiting for the person's answer. */
  private pendingConsent: { node: string; url: string; origin: string }[] = [];

  /** The person's answer to the consent dialog. */
  answerConsent(allow: boolean): Promise<void> {
    return this.guard(undefined, () => this.answered(allow));
  }

  private async answered(allow: boolean): Promise<void> {
    const asked = this.pendingConsent;
    this.pendingConsent = [];
    this.fault = null;
    if (allow) {
      for (const u of asked) this.allowed.add(u.origin);
      await this.engine?.allowOrigins?.([...this.allowed]);
      this.say('info', msg('session.allowed', { origins: [...new Set(asked.map((u) => u.origin))].join(', ') }));
    } else {
      for (const u of asked) this.declined.add(u.url);
      this.say('warn', msg(asked.length === 1 ? 'session.declinedOne' : 'session.declinedMany', { nodes: asked.map((u) => u.node).join(', ') }));
    }
  }

  private scheduleConsent(): void {
    if (this.consentTimer !== null) clearTimeout(this.consentTimer);
    // After typing pauses, so a half-typed address is not asked about.
    this.consentTimer = setTimeout(() => {
      this.consentTimer = null;
      this.checkConsent();
    }, 1500);
  }

  /** Closes the fault dialog (the fault stays in the status bar until the next save). */
  dismissFault(): void {
    if (this.fault?.kind === 'consent') {
      void this.answerConsent(false);
      return;
    }
    if (this.fault?.kind === 'conflict') return;
    this.fault = null;
  }

  private fail(error: unknown): void {
    if (error instanceof StorageError && error.code === 'storage.conflict' && error.theirs) {
      this.showConflict(error.theirs);
      this.say('warn', msg('session.conflictNote', { n: error.theirs.head, name: error.theirs.name, time: describeTime(error.theirs.updatedAt) }, error.message));
      return;
    }
    if (error instanceof StorageError) {
      this.deletable = error.deletable;
      const reason = this.storageMsg(error);
      this.say('error', reason, error.deletable.map(deletableMsg));
      const full = error.code === 'storage.quota';
      this.saveNote = msg(full ? 'session.noteFull' : 'projects.notSaved');
      this.fault = {
        kind: full ? 'storage-full' : 'storage-failed',
        title: msg(full ? 'session.fullTitle' : 'session.failedTitle'),
        text: full ? msg('session.fullText', { reason }) : reason,
        details: error.deletable.map(deletableMsg),
      };
    } else this.say('error', msg('session.error', { reason: error instanceof Error ? error.message : String(error) }));
  }

  /** A storage error as a message: its English kept, the other languages from its code and the project as last saved. */
  private storageMsg(error: StorageError): Msg {
    const current = this.current;
    const intact = current ? msg('session.intact', { n: current.head, name: current.name, time: describeTime(current.updatedAt) }) : msg('session.nothingChanged');
    if (error.code === 'storage.quota') {
      const hint = error.deletable.length > 0 ? msg('session.hintDelete', { list: error.deletable.slice(0, 4).map(deletableMsg) }) : msg('session.hintNone');
      return msg('session.storageFull', { intact, hint }, error.message);
    }
    if (error.code === 'storage.failed') return msg('session.saveFailed', { intact }, error.message);
    return msg('session.error', { reason: error.message }, error.message);
  }

  /** Rereads the project list, the bin and storage use. */
  async refresh(): Promise<void> {
    this.projects = await this.store.list();
    this.binned = await this.store.binned();
    this.use = await storageUse();
  }

  private async reloadCurrent(): Promise<void> {
    const id = this.current?.id;
    if (!id) return;
    this.current = (await this.store.get(id)) ?? null;
    this.versions = await this.store.versions(id);
    await this.refresh();
  }

  /** Records an edit of the open document; it is saved after a quiet period. */
  onChange(document: PipelineDocument): void {
    const id = this.current?.id;
    if (!id) return;
    this.document = document;
    this.unsaved = { id, document };
    this.autosave.schedule({ id, document });
    this.scheduleConsent();
  }

  /** Saves the open document now. */
  async save(): Promise<void> {
    const id = this.current?.id;
    if (!id || !this.document) return;
    this.autosave.cancel();
    try {
      this.saveState = 'saving';
      const base = this.current;
      const saved = await this.store.save(id, this.document, { reason: 'save', ...(base ? { basedOn: { head: base.head, updatedAt: base.updatedAt } } : {}) });
      this.unsaved = null;
      this.saveState = 'saved';
      this.saved(saved.n);
      await this.reloadCurrent();
    } catch (err) {
      this.saveState = 'error';
      this.fail(err);
    }
  }

  /** Creates a project (empty, or from a document) and opens it; an untitled document takes `fromFile`'s name (the file it was opened from). */
  async create(document: PipelineDocument = blankDocument('Untitled pipeline'), datasets?: Record<string, DatasetFingerprint>, fromFile?: string): Promise<string | null> {
    await this.autosave.flush();
    try {
      const named = fromFile !== undefined && isUntitled(document.name) ? { ...document, name: nameFromFile(fromFile) } : document;
      const project = await this.store.create(named, datasets ? { datasets } : {});
      await this.open(project.id);
      // Once there is work to lose, ask the browser not to evict it under storage pressure.
      if (this.use?.persisted === false) void this.persist();
      return project.id;
    } catch (err) {
      this.fail(err);
      return null;
    }
  }

  /** Opens a project: its document goes to `onOpen`, its stored files are re-bound to their nodes. */
  open(id: string): Promise<boolean> {
    return this.guard(false, () => this.opened(id));
  }

  private async opened(id: string): Promise<boolean> {
    await this.autosave.flush();
    // Flushing met another tab's save: the person chooses in the conflict dialog; nothing is replaced meanwhile.
    if (this.conflict !== null && this.current?.id === id) return false;
    const project = await this.store.get(id);
    if (!project || project.deletedAt !== null) {
      this.say('error', msg('session.gone'));
      return false;
    }
    this.current = project;
    this.document = project.document;
    this.versions = await this.store.versions(id);
    this.missingFiles = [];
    await this.bindStoredFiles(project);
    await this.restoreStoredResults(project);
    this.onOpen(project.document);
    this.checkConsent(project.document);
    await this.refresh();
    return true;
  }

  private async bindStoredFiles(project: ProjectRecord): Promise<void> {
    if (!this.engine) return;
    const missing: MissingFile[] = [];
    for (const [node, fp] of Object.entries(project.datasets)) {
      const stored = await this.store.dataset(fp.sha256);
      if (stored) await this.engine.bindFile(node, stored.fingerprint.name, stored.bytes, fingerprintKey(fp));
      else missing.push({ node, expected: fp });
    }
    this.missingFiles = missing;
  }

  private async restoreStoredResults(project: ProjectRecord): Promise<void> {
    this.restoredResults = [];
    if (!this.engine?.restoreResults) return;
    const stored = await this.store.results(project.id);
    if (stored.length > 0) this.restoredResults = await this.engine.restoreResults(project.document, stored);
  }

  /**
   * Keeps the results worth keeping after a run (a trained model, slow nodes) with the open
   * project, so reopening it needs no retraining. Returns the node ids kept.
   */
  async keepResults(document: PipelineDocument | null = this.document): Promise<string[]> {
    const id = this.current?.id;
    if (!id || !document || !this.engine?.keepableResults) return [];
    try {
      const results = await this.engine.keepableResults(document);
      await this.store.putResults(id, results);
      return results.map((r) => r.nodeId);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.say('warn', msg('session.resultsNotKept', { reason }));
      if (err instanceof StorageError) this.deletable = err.deletable;
      return [];
    }
  }

  /** Renames a project. */
  async rename(id: string, name: string): Promise<void> {
    try {
      await this.store.rename(id, name.trim() || 'Untitled pipeline');
      if (this.current?.id === id) {
        await this.reloadCurrent();
        if (this.current) {
          this.document = this.current.document;
          this.onOpen(this.current.document);
        }
      }
      await this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Duplicates a project (document and files). */
  async duplicate(id: string): Promise<void> {
    try {
      const copy = await this.store.duplicate(id);
      this.say('ok', msg('session.created', { name: copy.name }));
      await this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Moves a project to the bin; `undoRemove` brings it back. */
  remove(id: string): Promise<void> {
    return this.guard(undefined, () => this.removed(id));
  }

  private async removed(id: string): Promise<void> {
    await this.autosave.flush();
    const summary = this.projects.find((p) => p.id === id) ?? null;
    await this.store.remove(id);
    this.lastRemoved = summary;
    if (this.current?.id === id) {
      this.current = null;
      this.document = null;
      this.versions = [];
    }
    this.say('info', msg('session.deleted', { name: summary?.name ?? '' }));
    await this.refresh();
  }

  /** Brings back the last deleted project. */
  undoRemove(): Promise<void> {
    return this.guard(undefined, async () => {
      const removed = this.lastRemoved;
      if (!removed) return;
      await this.store.undoRemove(removed.id);
      this.lastRemoved = null;
      this.say('ok', msg('session.restoredProject', { name: removed.name }));
      await this.refresh();
    });
  }

  /** Makes an old version current (as a new version). */
  async restore(n: number): Promise<void> {
    const id = this.current?.id;
    if (!id) return;
    await this.autosave.flush();
    try {
      await this.store.restore(id, n);
      await this.reloadCurrent();
      if (this.current) {
        this.document = this.current.document;
        await this.bindStoredFiles(this.current);
        this.onOpen(this.current.document);
      }
      this.say('ok', msg('session.restoredVersion', { n }));
    } catch (err) {
      this.fail(err);
    }
  }

  /** What changed from version n to the document as it is now (null with no project open, or when the store fails: the fault says why); `diffLines` words it. */
  diffWith(n: number): Promise<DocumentDiff | null> {
    return this.guard<DocumentDiff | null>(null, async () => {
      const id = this.current?.id;
      const now = this.document;
      if (!id || !now) return null;
      const old = await this.store.version(id, n);
      return diffDocuments(old.document, now);
    });
  }

  /** The open project as a downloadable `.json` file. */
  exportFile(): ProjectFile | null {
    return this.document ? exportProjectFile(this.document) : null;
  }

  private validator(): ((document: PipelineDocument) => Promise<InsightIssue[]>) | undefined {
    const engine = this.engine;
    if (!engine) return undefined;
    return async (document) => {
      const result = await engine.validate(document);
      return result.ok ? [] : result.problems;
    };
  }

  /** Imports a project file as a new project. */
  importFile(text: string): Promise<boolean> {
    return this.guard(false, () => this.imported(text));
  }

  private async imported(text: string): Promise<boolean> {
    const result = await importProjectFile(text, this.validator());
    if (!result.ok) {
      this.say('error', msg('session.importFailed', {}, result.message), result.problems.length > 0 ? issueLines(result.problems) : [result.message]);
      return false;
    }
    const id = await this.create(result.document);
    if (id) this.say('ok', result.migratedFrom !== null ? msg('session.importedMigrated', { name: result.document.name, v: result.migratedFrom }) : msg('session.imported', { name: result.document.name }));
    return id !== null;
  }

  /** Stores a user's file for a node of the open project and binds it in the engine (with no project open: binds it, unstored). */
  attachFile(node: string, name: string, bytes: Uint8Array): Promise<DatasetFingerprint | null> {
    return this.guard(null, () => this.attached(node, name, bytes));
  }

  private async attached(node: string, name: string, bytes: Uint8Array): Promise<DatasetFingerprint | null> {
    const id = this.current?.id;
    if (!id) {
      // No project is open (the default one could not be fetched, storage refused): nothing is
      // kept, but the node must still read the file the person just gave it.
      const fp = await fingerprintFile(name, bytes);
      await this.engine?.bindFile(node, name, bytes, fingerprintKey(fp));
      return fp;
    }
    await this.autosave.flush();
    try {
      // A project still untitled is named on its first file, in the same version.
      const base = this.current;
      const naming = base !== null && isUntitled(base.name) && Object.keys(base.datasets).length === 0;
      const fp = await this.store.attachDataset(id, node, name, bytes, naming ? { projectName: nameFromFile(name) } : {});
      await this.engine?.bindFile(node, name, bytes, fingerprintKey(fp));
      await this.reloadCurrent();
      if (naming && this.current) {
        this.document = this.current.document;
        if (this.onNamed) this.onNamed(this.current.name);
        else this.onOpen(this.current.document);
      }
      return fp;
    } catch (err) {
      this.fail(err);
      // The node must not go on reading the previous file as if it were this one.
      await this.engine?.unbindFile(node);
      const reason = err instanceof StorageError ? this.storageMsg(err) : msg('session.error', { reason: err instanceof Error ? err.message : String(err) });
      this.fault = { kind: 'file-not-stored', title: msg('session.fileNotStoredTitle', { name }), text: msg('session.fileNotStoredText', { reason, node, name }), details: this.deletable.map(deletableMsg) };
      this.saveNote = msg('session.noteFileFull');
      return null;
    }
  }

  /** Gives a file a shared pipeline asked for; warns when it differs from the sender's. */
  provideFile(node: string, name: string, bytes: Uint8Array): Promise<void> {
    return this.guard(undefined, () => this.provided(node, name, bytes));
  }

  private async provided(node: string, name: string, bytes: Uint8Array): Promise<void> {
    const wanted = this.missingFiles.find((m) => m.node === node);
    const fp = await this.attachFile(node, name, bytes);
    if (!fp) return;
    this.missingFiles = this.missingFiles.filter((m) => m.node !== node);
    const differences = wanted ? fingerprintDifferences(wanted.expected, fp) : [];
    if (differences.length > 0) {
      // Said in a dialog where the file was given (the share popover or the drawer), and kept in the drawer's message.
      const lines = fileDifferenceMsgs(differences);
      this.say('warn', msg('session.notSenderFile', { name }), lines);
      this.fault = { kind: 'file-differs', title: msg('session.fileDiffersTitle'), text: msg('session.fileDiffersText', { name, node }), details: lines };
    }
    else this.say('ok', msg('session.senderFile', { name }));
  }

  /** Builds a share link (`#p=...`) for the open project; data only when asked and small. */
  shareLink(includeData: boolean): Promise<(EncodedLink & { url: string }) | null> {
    return this.guard(null, () => this.link(includeData));
  }

  private async link(includeData: boolean): Promise<(EncodedLink & { url: string }) | null> {
    if (!this.document || !this.current) return null;
    const datasets: DatasetToShare[] = [];
    for (const [node, fp] of Object.entries(this.current.datasets)) {
      const stored = await this.store.dataset(fp.sha256);
      if (stored) datasets.push({ node, name: fp.name, bytes: stored.bytes });
    }
    const link = await encodeShareLink(this.document, { datasets, includeData });
    const base = typeof location === 'undefined' ? '' : `${location.origin}${location.pathname}${location.search}`;
    return { ...link, url: `${base}${link.fragment}` };
  }

  /**
   * Opens a shared link as a new project. A link that fails to decode or validate opens
   * nothing and the message says why; files not in the link are listed in `missingFiles`.
   */
  openShareLink(hash: string): Promise<boolean> {
    return this.guard(false, () => this.openedLink(hash));
  }

  private async openedLink(hash: string): Promise<boolean> {
    const decoded = await decodeShareLink(hash, this.validator());
    if (!decoded.ok) {
      const reason = msg(linkKeys[decoded.code], {}, decoded.message);
      const recent = this.projects[0];
      const reopened = recent ? await this.open(recent.id) : false;
      const after = reopened && recent ? msg('session.linkReopened', { name: recent.name }) : msg('session.linkNothing');
      this.fault = { kind: 'link', title: msg('session.linkTitle'), text: msg('session.linkText', { reason, after }), details: issueLines(decoded.problems) };
      this.say('error', reason, issueLines(decoded.problems));
      return reopened;
    }
    const id = await this.create(decoded.document);
    if (!id) return false;
    const missing: MissingFile[] = [];
    for (const d of decoded.datasets) {
      if (d.bytes) await this.attachFile(d.ref.node, d.ref.name, d.bytes);
      else missing.push({ node: d.ref.node, expected: stripRef(d.ref) });
    }
    this.missingFiles = missing;
    const name = decoded.document.name;
    this.say(missing.length > 0 ? 'warn' : 'ok', missing.length === 0 ? msg('session.sharedOpened', { name }) : missing.length === 1 ? msg('session.sharedNeedsOne', { name }) : msg('session.sharedNeedsMany', { name, n: missing.length }));
    return true;
  }

  /** Rereads storage use and asks the browser to keep the data. */
  persist(): Promise<boolean> {
    return this.guard(false, async () => {
      const kept = await requestPersistence();
      this.use = await storageUse();
      return kept;
    });
  }

  /** Deletes something listed as deletable to make room. */
  free(item: DeletableItem): Promise<void> {
    return this.guard(undefined, async () => {
      await this.store.free(item);
      this.deletable = this.deletable.filter((d) => d !== item);
      this.say('ok', msg('session.freed', { label: deletableMsg(item) }));
      await this.refresh();
    });
  }

  /** Saves pending edits (call on pagehide) and closes the database. */
  async close(): Promise<void> {
    await this.autosave.flush();
    this.store.close();
    this.channel?.close();
  }

  /** Saves pending edits now (e.g. on `pagehide`). */
  flush(): Promise<void> {
    return this.autosave.flush();
  }

  /**
   * For `pagehide` / `visibilitychange` to hidden: writes the newest unsaved edit with every
   * IndexedDB request issued before returning (an async save would not start in a closing
   * page). A save in flight may land first, so this one takes the version after it.
   */
  flushOnUnload(): void {
    const pending = this.unsaved;
    const base = this.current;
    if (!pending || !base || base.id !== pending.id || this.conflict) return;
    this.autosave.cancel();
    try {
      // If the tab comes back (visibilitychange), later saves build on this write.
      this.current = this.store.saveOnUnload(base, pending.document, base.head + (this.saving ? 2 : 1));
      this.unsaved = null;
      this.saveNote = msg('projects.savedAs', { n: this.current.head });
    } catch {
      // A closed database: nothing more can be done in a closing page.
    }
  }
}

/** The message key of each way a share link can fail. */
const linkKeys: Readonly<Record<LinkErrorCode, MessageKey>> = {
  'link.none': 'session.linkNone',
  'link.tooLong': 'session.linkTooLong',
  'link.base64': 'session.linkBase64',
  'link.corrupt': 'session.linkCorrupt',
  'link.tooLarge': 'session.linkTooLarge',
  'link.json': 'session.linkJson',
  'link.invalid': 'session.linkInvalid',
  'link.data': 'session.linkData',
};

function stripRef(ref: SharedDatasetRef): DatasetFingerprint {
  return { name: ref.name, size: ref.size, columns: ref.columns, sha256: ref.sha256 };
}

/** Reads a File into bytes, in pieces (file-bytes.ts). */
export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return readBlobInPieces(file);
}
