/**
 * The studio's state and actions for one open project: the document with its undo history,
 * the engine's statuses and live progress, the selection, and the run controls. Components
 * receive it through context (see context.ts); the engine is reached only through Comlink.
 */
import { blankDocument, type PipelineDocument } from '../engine/document.ts';
import type { InsightIssue } from '../engine/errors.ts';
import type { JsonValue } from '../engine/ports.ts';
import type { EngineEvent, NodeStatus } from '../engine/runner.ts';
import type { BackendInfo, NodeKindDescription } from '../engine/service.ts';
import {
  addNode, checkConnection, connect, copyNodes, fileSizeCap, indexKinds, moveNodes,
  pasteNodes, removeEdges, removeNodes, resetParam, setNote, setParam, disconnectInput, type Clipboard, type KindIndex,
} from './doc-ops.ts';
import { eventSink, type EngineClient } from './engine-client.ts';
import { createHistory } from './history.ts';
import type { MessageKey } from './i18n/en.ts';
import type { MessageValues } from './i18n/index.ts';
import { autoLayout, type NodeSize } from './layout.ts';
import { ancestors, topologicalOrder } from '../engine/graph.ts';
import type { DocEdge } from '../engine/document.ts';
import { readBlobInPieces } from './file-bytes.ts';
import { oneStringOver } from '../data/text-limit.ts';

/** A status-line message: a catalogue key so it follows the language switch. */
export interface StudioMessage {
  /** Catalogue key. */
  key: MessageKey;
  /** Placeholder values. */
  values: MessageValues;
  /** How it is shown. */
  tone: 'info' | 'ok' | 'warn' | 'error';
}

/** Live progress of a running node. */
export interface LiveProgress {
  /** Fraction in [0, 1]. */
  fraction: number;
  /** Detail line. */
  detail: string;
}

/** Where the default project is served from (relative, so the studio works under any sub-path). */
export const defaultProjectUrl = './examples/customer-insight.json';

/** Least time between two renders of live run state (progress bars, epochs), in ms. */
const liveRenderGap = 100;

/**
 * Schedules a render of buffered run state: on an animation frame, and no sooner than
 * `liveRenderGap` after the previous one, so a chatty worker cannot keep the page busy
 * (a timer alone when the page is hidden, where frames stop).
 */
function nextFrame(callback: () => void, last: number): void {
  const wait = Math.max(0, last + liveRenderGap - performance.now());
  const frame = (): void => {
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => callback());
    else callback();
  };
  setTimeout(frame, wait);
}

/** The nodes a run of `targets` (or of everything) may execute, in topological order. */
function runOrder(doc: PipelineDocument, targets?: string[]): string[] {
  const order = topologicalOrder(doc);
  const ids = order.ok ? order.order : doc.nodes.map((n) => n.id);
  if (!targets) return ids;
  const wanted = new Set([...targets, ...ancestors(doc, targets)]);
  return ids.filter((id) => wanted.has(id));
}

/** The first problems of a validation, as one line. */
function problemLine(problems: readonly InsightIssue[]): string {
  const shown = problems.slice(0, 3).map((p) => p.message).join(' ');
  return problems.length > 3 ? `${shown} (+${problems.length - 3} more)` : shown;
}

/** State and actions of the studio page. */
export class Studio {
  /** The engine worker's API (null until started). */
  engine = $state.raw<EngineClient | null>(null);
  /** The compute backend the worker chose. */
  backend = $state.raw<BackendInfo | null>(null);
  /** Every node kind, from the engine's catalog. */
  kinds = $state.raw<NodeKindDescription[]>([]);
  /** Node kinds by name. */
  kindIndex: KindIndex = $derived(indexKinds(this.kinds));
  /** The open pipeline document (immutable; replaced on every edit). */
  doc = $state.raw<PipelineDocument>(blankDocument());
  /** Engine status of every node. */
  statuses = $state.raw<Record<string, NodeStatus>>({});
  /** Progress of running nodes (updated at most once per frame). */
  progress = $state.raw<Record<string, LiveProgress>>({});
  /** Live node events (e.g. one per LSTM epoch) of the current run, by node. */
  liveEvents = $state.raw<Record<string, { type: string; data: JsonValue }[]>>({});
  /** How many times each node's run function executed since the page opened (from run reports). */
  runCounts = $state.raw<Record<string, number>>({});
  /** How many runs have ended (finished, failed or cancelled) since the page opened. */
  completedRuns = $state(0);
  /** Node ids whose run function executed in the last run. */
  lastExecuted = $state.raw<string[]>([]);
  /** Selected node ids. */
  selected = $state.raw<string[]>([]);
  /** Selected edges. */
  selectedEdges = $state.raw<DocEdge[]>([]);
  /** Whether a run is in progress. */
  running = $state(false);
  /** The nodes the current run may execute, in run order (for "node i of n"). */
  runPlan = $state.raw<string[]>([]);
  /** Nodes of the current run that have finished (done, warning, error, blocked or cancelled). */
  runFinished = $state.raw<string[]>([]);
  /** Whether edits start a run by themselves. */
  autoRun = $state(false);
  /** The status line. */
  message = $state.raw<StudioMessage | null>(null);
  /** Increments whenever results may have changed (views re-fetch their previews). */
  resultsSerial = $state(0);
  /** Whether undo / redo have something to do. */
  canUndo = $state(false);
  /** Whether redo has something to do. */
  canRedo = $state(false);
  /** Where a newly added node (or a pasted group of `size`) goes: free space beside the selection (set by the canvas; null without one). */
  placement: ((size?: { width: number; height: number }) => [number, number]) | null = null;
  /** Asks the canvas to fit the view (set by the canvas). */
  fitView: () => void = () => undefined;
  /** Hears every edit of the document (the projects session autosaves through it). */
  onEdit: (doc: PipelineDocument) => void = () => undefined;
  /** Stores and binds a user's file (the projects session keeps it with the project); set by the page. */
  fileBinder: ((nodeId: string, name: string, bytes: Uint8Array) => Promise<void>) | null = null;
  /** Called after a run that executed at least one node (the projects session keeps results). */
  onRunFinished: (doc: PipelineDocument) => void = () => undefined;

  private history = createHistory<PipelineDocument>(blankDocument());
  private clipboard: Clipboard | null = null;
  private statusSerial = 0;
  private autoRunTimer: ReturnType<typeof setTimeout> | null = null;

  /** Shows a message in the status line. */
  say(key: MessageKey, values: MessageValues = {}, tone: StudioMessage['tone'] = 'info'): void {
    this.message = { key, values, tone };
  }

  /** Connects to a started engine and reads the catalog; false when the engine does not answer. */
  async attach(engine: EngineClient, ladder?: string[]): Promise<boolean> {
    this.engine = engine;
    try {
      this.kinds = await engine.catalog();
    } catch (err) {
      this.say('app.engineFailed', { reason: err instanceof Error ? err.message : String(err) }, 'error');
      return false;
    }
    // The backend ladder can take seconds (WebGPU adapter, wasm download); do not hold the project for it.
    void engine.init(ladder).then(
      (info) => {
        this.backend = info;
      },
      (err: unknown) => this.say('app.engineFailed', { reason: err instanceof Error ? err.message : String(err) }, 'error'),
    );
    return true;
  }

  /**
   * Fetches and validates the default project; returns its document (possibly with problems,
   * which are shown) or null with a message saying clearly why it cannot be opened.
   */
  async fetchDefault(fetchProject: (url: string) => Promise<Response> = (url) => fetch(url)): Promise<PipelineDocument | null> {
    this.say('app.loadingProject');
    let json: unknown;
    try {
      const response = await fetchProject(defaultProjectUrl);
      if (!response.ok) {
        this.say('app.projectMissing', { reason: `HTTP ${response.status} for ${defaultProjectUrl}` }, 'warn');
        return null;
      }
      const text = await response.text();
      try {
        json = JSON.parse(text);
      } catch (err) {
        this.say('app.projectInvalid', { reason: err instanceof Error ? err.message : String(err) }, 'error');
        return null;
      }
    } catch (err) {
      this.say('app.projectMissing', { reason: err instanceof Error ? err.message : String(err) }, 'warn');
      return null;
    }
    return this.validated(json, 'app.projectInvalid');
  }

  /** Validates an untrusted document through the engine; says what is wrong. */
  async validated(input: unknown, invalidKey: 'app.projectInvalid' | 'app.fileInvalid'): Promise<PipelineDocument | null> {
    const engine = this.engine;
    if (!engine) return null;
    const result = await engine.validate(input);
    if (result.ok) return result.document;
    this.say(invalidKey, { reason: problemLine(result.problems) }, 'error');
    // A document that parsed but has node-level problems still opens, so they can be fixed.
    return result.document ?? null;
  }

  /** Validates an untrusted document through the engine and opens it. */
  async open(input: unknown, invalidKey: 'app.projectInvalid' | 'app.fileInvalid'): Promise<boolean> {
    const engine = this.engine;
    if (!engine) return false;
    const result = await engine.validate(input);
    if (!result.ok) {
      this.say(invalidKey, { reason: problemLine(result.problems) }, 'error');
      if (result.document) this.replace(result.document);
      return false;
    }
    this.openDocument(result.document);
    return true;
  }

  /** Shows an already validated document (e.g. one the projects session opened). */
  openDocument(doc: PipelineDocument): void {
    this.replace(doc);
    this.say('app.opened', { name: doc.name }, 'ok');
  }

  private replace(doc: PipelineDocument): void {
    this.history.reset(doc);
    this.doc = doc;
    this.selected = [];
    this.selectedEdges = [];
    this.syncHistoryFlags();
    void this.refreshStatuses();
    this.fitView();
  }

  private syncHistoryFlags(): void {
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
  }

  /** Records an edited document as the new present (one undo step). */
  commit(next: PipelineDocument): void {
    if (next === this.doc) return;
    const previous = this.doc;
    this.doc = this.history.push(next);
    this.syncHistoryFlags();
    this.afterEdit(previous);
    this.onEdit(this.doc);
  }

  /**
   * After an edit the engine says what is stale (its hashes decide) and which nodes the edit
   * changed (auto-run runs only then); the page keeps no guess of its own.
   */
  private afterEdit(previous: PipelineDocument): void {
    const engine = this.engine;
    if (!engine) return;
    const serial = ++this.statusSerial;
    const doc = this.doc;
    void engine.afterEdit(previous, doc).then(({ statuses, changed }) => {
      if (serial === this.statusSerial && !this.running && doc === this.doc) {
        this.statuses = statuses;
        this.resultsSerial++;
      }
      if (this.autoRun && changed.length > 0) this.scheduleAutoRun();
    });
  }

  private scheduleAutoRun(): void {
    if (this.autoRunTimer !== null) clearTimeout(this.autoRunTimer);
    this.autoRunTimer = setTimeout(() => {
      this.autoRunTimer = null;
      void this.run();
    }, 600);
  }

  /** Asks the engine for statuses of the current document (cache hits, stale, idle). */
  async refreshStatuses(): Promise<void> {
    const engine = this.engine;
    if (!engine || this.running) return;
    const serial = ++this.statusSerial;
    const doc = this.doc;
    const statuses = await engine.statuses(doc);
    if (serial === this.statusSerial && !this.running && doc === this.doc) {
      this.statuses = statuses;
      this.resultsSerial++;
    }
  }

  /** Steps back one edit. */
  undo(): void {
    if (!this.history.canUndo) return;
    const previous = this.doc;
    this.doc = this.history.undo();
    this.syncHistoryFlags();
    this.afterEdit(previous);
    this.onEdit(this.doc);
  }

  /** Steps forward one edit. */
  redo(): void {
    if (!this.history.canRedo) return;
    const previous = this.doc;
    this.doc = this.history.redo();
    this.syncHistoryFlags();
    this.afterEdit(previous);
    this.onEdit(this.doc);
  }

  /** Runs the pipeline (or only what `targets` need); progress is rendered at most once a frame. */
  async run(targets?: string[]): Promise<void> {
    const engine = this.engine;
    if (!engine || this.running) return;
    this.running = true;
    this.statusSerial++;
    this.say('run.running');
    this.progress = {};
    this.liveEvents = {};
    this.runPlan = runOrder(this.doc, targets);
    this.runFinished = [];
    const pendingStatus = new Map<string, NodeStatus>();
    const pendingProgress = new Map<string, LiveProgress>();
    const pendingEvents = new Map<string, { type: string; data: JsonValue }[]>();
    let scheduled = false;
    // Events travel on the callback's own message port, so some can arrive after the run's
    // result; once the report is in, it is the truth and late events are dropped.
    let finished = false;
    let lastFlush = 0;
    const flush = (): void => {
      scheduled = false;
      lastFlush = performance.now();
      if (pendingStatus.size > 0) {
        const ended = [...pendingStatus].filter(([, st]) => st.state !== 'running' && st.state !== 'stale' && st.state !== 'idle').map(([id]) => id);
        if (ended.length > 0) this.runFinished = [...new Set([...this.runFinished, ...ended])];
        this.statuses = { ...this.statuses, ...Object.fromEntries(pendingStatus) };
        pendingStatus.clear();
      }
      if (pendingProgress.size > 0) {
        this.progress = { ...this.progress, ...Object.fromEntries(pendingProgress) };
        pendingProgress.clear();
      }
      if (pendingEvents.size > 0) {
        const next = { ...this.liveEvents };
        for (const [id, events] of pendingEvents) next[id] = [...(next[id] ?? []), ...events];
        this.liveEvents = next;
        pendingEvents.clear();
      }
    };
    // Events can arrive by the hundred per second (progress, epochs); only buffer here.
    const onEvent = (event: EngineEvent): void => {
      if (finished) return;
      switch (event.type) {
        case 'status':
          pendingStatus.set(event.nodeId, event.status);
          if (event.status.state === 'running') pendingProgress.set(event.nodeId, { fraction: 0, detail: '' });
          break;
        case 'progress':
          pendingProgress.set(event.nodeId, { fraction: event.fraction, detail: event.detail });
          break;
        case 'node-event': {
          const list = pendingEvents.get(event.nodeId) ?? [];
          list.push(event.event);
          pendingEvents.set(event.nodeId, list);
          break;
        }
        default: {
          const never: never = event;
          throw new Error(`Unknown engine event ${JSON.stringify(never)}`);
        }
      }
      if (!scheduled) {
        scheduled = true;
        nextFrame(flush, lastFlush);
      }
    };
    const doc = this.doc;
    try {
      const report = await engine.run(doc, targets ? { targets } : {}, eventSink(onEvent));
      finished = true;
      flush();
      this.statuses = report.statuses;
      this.lastExecuted = report.executed;
      const counts = { ...this.runCounts };
      for (const id of report.executed) counts[id] = (counts[id] ?? 0) + 1;
      this.runCounts = counts;
      const failed = Object.values(report.statuses).filter((s) => s.state === 'error' || s.state === 'blocked').length;
      const asked = targets ? Object.keys(report.statuses).length : doc.nodes.length;
      if (report.cancelled) this.say('run.cancelled', {}, 'warn');
      else if (report.documentIssues.length > 0) this.say('run.documentIssue', { message: problemLine(report.documentIssues) }, 'error');
      else if (!report.ok) this.say('run.problems', { ran: report.executed.length, failed }, 'error');
      else this.say('run.finished', { ran: report.executed.length, cached: Math.max(0, asked - report.executed.length - failed) }, 'ok');
    } catch (err) {
      finished = true;
      flush();
      this.say('run.failed', { reason: err instanceof Error ? err.message : String(err) }, 'error');
    } finally {
      this.running = false;
      this.resultsSerial++;
      this.completedRuns++;
    }
    if (this.lastExecuted.length > 0) this.onRunFinished(doc);
    // Edits made while running were not reflected in statuses; ask again.
    if (doc !== this.doc) void this.refreshStatuses();
  }

  /**
   * Where the run stands for the status bar: the running node, its place in the run's order
   * (nodes answered from the cache count as finished at once), and its progress.
   */
  get runStatus(): { index: number; total: number; nodeId: string; fraction: number; detail: string } | null {
    if (!this.running) return null;
    const nodeId = this.runPlan.find((id) => this.statuses[id]?.state === 'running');
    if (nodeId === undefined) return null;
    const finished = new Set(this.runFinished);
    const p = this.progress[nodeId];
    return { index: Math.min(finished.size + 1, this.runPlan.length), total: this.runPlan.length, nodeId, fraction: p?.fraction ?? 0, detail: p?.detail ?? '' };
  }

  /** Cancels the run in progress. */
  cancel(): void {
    void this.engine?.cancel();
  }

  /** Selects nodes (and clears edge selection). */
  select(ids: string[]): void {
    if (ids.length === this.selected.length && ids.every((id, i) => this.selected[i] === id)) return;
    this.selected = ids;
  }

  /** Adds a node of a kind (at `position`, else where the canvas suggests) and selects it. */
  add(kind: NodeKindDescription, position?: [number, number]): string {
    const { doc, id } = addNode(this.doc, kind, position ?? this.placement?.() ?? [0, 0]);
    this.commit(doc);
    this.selected = [id];
    return id;
  }

  /** Deletes the selected nodes and edges. */
  deleteSelection(): void {
    const count = this.selected.length;
    let doc = removeNodes(this.doc, this.selected);
    doc = removeEdges(doc, this.selectedEdges);
    if (doc === this.doc) return;
    this.selected = [];
    this.selectedEdges = [];
    this.commit(doc);
    if (count > 0) this.say('canvas.deleted', { count });
  }

  /** Duplicates the selected nodes and selects the copies. */
  duplicateSelection(): void {
    if (this.selected.length === 0) return;
    const clip = copyNodes(this.doc, this.selected);
    const { doc, ids } = pasteNodes(this.doc, clip, this.pasteOffset(clip));
    this.commit(doc);
    this.selected = ids;
  }

  /** How far copies move so they land in free space beside the selection, not on other nodes (40, 40 without a canvas). */
  private pasteOffset(clip: Clipboard): [number, number] {
    if (!this.placement || clip.nodes.length === 0) return [40, 40];
    const xs = clip.nodes.map((n) => n.position[0]);
    const ys = clip.nodes.map((n) => n.position[1]);
    const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
    const [x, y] = this.placement({ width: Math.max(...xs) - x0 + 214, height: Math.max(...ys) - y0 + 110 });
    return [x - x0, y - y0];
  }

  /** Copies the selected nodes. */
  copySelection(): void {
    if (this.selected.length === 0) return;
    this.clipboard = copyNodes(this.doc, this.selected);
    this.say('canvas.copied', { count: this.clipboard.nodes.length });
  }

  /** Pastes the copied nodes and selects them. */
  paste(): void {
    if (!this.clipboard) return;
    const { doc, ids } = pasteNodes(this.doc, this.clipboard, this.pasteOffset(this.clipboard));
    this.commit(doc);
    this.selected = ids;
    this.say('canvas.pasted', { count: ids.length });
  }

  /** Whether an output may feed an input, with the engine's reason when not. */
  check(from: readonly [string, string], to: readonly [string, string]): { ok: true } | { ok: false; reason: string } {
    return checkConnection(this.doc, this.kindIndex, from, to);
  }

  /** Connects an output to an input, or says why not. */
  connect(from: readonly [string, string], to: readonly [string, string]): boolean {
    const result = connect(this.doc, this.kindIndex, from, to);
    if (!result.ok) {
      this.say('canvas.refused', { reason: result.reason }, 'error');
      return false;
    }
    this.commit(result.doc);
    this.say('canvas.connected', { from: `${from[0]}.${from[1]}`, to: `${to[0]}.${to[1]}` }, 'ok');
    return true;
  }

  /** Disconnects one input. */
  disconnect(nodeId: string, port: string): void {
    this.commit(disconnectInput(this.doc, nodeId, port));
  }

  /** Sets one param. */
  setParam(nodeId: string, name: string, value: JsonValue): void {
    this.commit(setParam(this.doc, nodeId, name, value));
  }

  /** Resets one param to its default. */
  resetParam(nodeId: string, name: string): void {
    this.commit(resetParam(this.doc, nodeId, name));
  }

  /** Sets a node's note. */
  setNote(nodeId: string, note: string): void {
    this.commit(setNote(this.doc, nodeId, note));
  }

  /** Records node positions after a drag or keyboard move. */
  move(positions: ReadonlyMap<string, readonly [number, number]>): void {
    this.commit(moveNodes(this.doc, positions));
  }

  /** Lays the graph out left to right. */
  layout(sizes: ReadonlyMap<string, NodeSize>, refine = false): void {
    const next = moveNodes(this.doc, autoLayout(this.doc, sizes));
    if (refine && next !== this.doc) {
      // A second pass with the sizes the fitted view drew: the same undo step as the first.
      const previous = this.doc;
      this.doc = this.history.amend(next);
      this.syncHistoryFlags();
      this.afterEdit(previous);
      this.onEdit(this.doc);
    } else this.commit(next);
    this.fitView();
  }

  /**
   * Binds a user's file to a node that reads files. A file over the node's size cap is refused
   * before a byte is read (a tab could run out of memory reading it), and a file that cannot be
   * read or stored is reported; either way the node keeps the file it had.
   */
  async bindFile(nodeId: string, file: File): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const node = this.doc.nodes.find((n) => n.id === nodeId);
    const cap = node ? fileSizeCap(node, this.kindIndex.get(node.kind)) : null;
    if (cap !== null && file.size > cap.bytes) {
      this.say('app.fileTooLarge', { name: file.name, megabytes: Math.round((file.size / 1048576) * 10) / 10, limit: cap.megabytes, node: nodeId }, 'error');
      return;
    }
    // JSON over the string limit is refused from its size, before the tab reads it into memory.
    const over = node?.kind === 'load' ? oneStringOver(file.name, file.size, node.params.format, node.params.encoding) : null;
    if (over !== null) {
      this.say('app.textTooLarge', { name: file.name, ...over, node: nodeId }, 'error');
      return;
    }
    try {
      const bytes = await readBlobInPieces(file);
      if (this.fileBinder) await this.fileBinder(nodeId, file.name, bytes);
      else await engine.bindFile(nodeId, file.name, bytes, `${file.name}:${file.size}:${file.lastModified}`);
    } catch (err) {
      this.say('app.fileFailed', { name: file.name, node: nodeId, reason: err instanceof Error ? err.message : String(err) }, 'error');
      return;
    }
    void this.refreshStatuses();
    if (this.autoRun) this.scheduleAutoRun();
  }

  /** Unbinds a node's file. */
  async unbindFile(nodeId: string): Promise<void> {
    await this.engine?.unbindFile(nodeId);
    void this.refreshStatuses();
  }
}
