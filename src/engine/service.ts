/**
 * The engine service: everything the page may ask of the engine, as plain serialisable
 * calls. The worker exposes it through Comlink; tests and the CLI can use it directly.
 * The page never holds a full table: it gets previews, files and statuses.
 */
import type { ColumnTable } from 'arquero';
import type { PipelineDocument } from './document.ts';
import { fail, InsightError, type InsightIssue } from './errors.ts';
import { inputOptional, inputType, type NodeHost, type NodeText, type SourceFile } from './node.ts';
import type { ParamKind, ParamMeta } from './params.ts';
import { isTable, portFile, portFiles, portPreview, toJsonValue, type ExportFile, type ModelWriter, type PortFile, type PortPreview } from './port-codec.ts';
import { queryRows, spreadSample, type TableQuery } from '../data/table-query.ts';
import type { JsonValue, PortType } from './ports.ts';
import { Engine, type EngineEvent, type NodeStatus, type RunReport } from './runner.ts';
import { loadPipeline, type NodeRegistry } from './validate.ts';

/** A param as the inspector sees it (no functions, so it crosses the worker boundary). */
export interface ParamDescription {
  /** Param name as stored in documents. */
  name: string;
  /** Widget kind. */
  kind: ParamKind;
  /** Default value. */
  default: JsonValue;
  /** Label, help, unit, range, options... */
  meta: ParamMeta;
}

/** A node kind as the palette and inspector see it. */
export interface NodeKindDescription {
  /** Kind id. */
  kind: string;
  /** Current version. */
  version: number;
  /** Human label. */
  label: string;
  /** Palette description. */
  description: string;
  /** Palette group. */
  category: string;
  /** Input ports in declaration order. */
  inputs: { name: string; type: PortType; optional: boolean }[];
  /** Output ports in declaration order. */
  outputs: { name: string; type: PortType }[];
  /** Params in declaration order. */
  params: ParamDescription[];
  /** Whether the node reads a user file. */
  readsFile: boolean;
  /** Its declared Chinese text, if any. */
  zh?: NodeText;
}

/** Describes every registered node kind. */
export function describeKinds(registry: NodeRegistry): NodeKindDescription[] {
  return Object.values(registry).map((spec) => ({
    kind: spec.kind,
    version: spec.version,
    label: spec.label,
    description: spec.description,
    category: spec.category,
    inputs: Object.entries(spec.inputs).map(([name, s]) => ({ name, type: inputType(s), optional: inputOptional(s) })),
    outputs: Object.entries(spec.outputs).map(([name, type]) => ({ name, type })),
    params: Object.entries(spec.params).map(([name, p]) => ({ name, kind: p.kind, default: toJson(p.default), meta: p.meta })),
    readsFile: spec.readsFile === true,
    ...(spec.zh ? { zh: spec.zh } : {}),
  }));
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** Result of validating an untrusted document. */
export type ValidationResult = { ok: true; document: PipelineDocument } | { ok: false; problems: InsightIssue[]; document?: PipelineDocument };

/** A run report without the engine's internals, as the page receives it. */
export type RunResult = RunReport;

/** Rows of a table port after a query. */
export interface QueriedRows {
  /** Column names. */
  columns: string[];
  /** The requested window of rows. */
  rows: JsonValue[][];
  /** Rows matching the query. */
  totalRows: number;
  /** Rows in the whole table. */
  tableRows: number;
  /** Index of the first row of the window among the matches. */
  offset: number;
}

/** Information about the compute backend. */
export interface BackendInfo {
  /** Backend in use, e.g. `webgpu`. */
  backend: string;
  /** Every backend tried, in order, with the reason it was not used. */
  tried: { name: string; error?: string }[];
}

/** Adds an origin (scheme://host:port of an http(s) URL) to a set; anything else is ignored. */
function allowed(set: Set<string>, origin: string): void {
  try {
    const url = new URL(origin);
    if (url.protocol === 'http:' || url.protocol === 'https:') set.add(url.origin);
  } catch {
    // Not a URL: nothing to allow.
  }
}

/** The engine service used by the worker (and directly by tests). */
export class EngineService {
  private readonly engine: Engine;
  private controller: AbortController | null = null;
  private readonly registry: NodeRegistry;
  private readonly files: Map<string, SourceFile & { fingerprint: string }>;
  private backendInfo: BackendInfo = { backend: 'none', tried: [] };
  /** The last query's row order per table value (dropped with the value). */
  private readonly orders = new WeakMap<object, { key: string; order: Uint32Array }>();
  private readonly modelWriters: ReadonlyMap<string, ModelWriter>;
  /** Origins the person allowed load nodes to fetch from (the page's own origin always is). */
  private readonly allowedOrigins = new Set<string>();

  constructor(options: { registry: NodeRegistry; host: Omit<NodeHost, 'boundFile' | 'boundFingerprint' | 'backend'> }) {
    this.registry = options.registry;
    this.modelWriters = new Map(Object.values(options.registry).flatMap((spec) => Object.entries(spec.modelFiles ?? {})));
    this.files = new Map();
    const files = this.files;
    const allowed = this.allowedOrigins;
    const host: NodeHost = {
      ...options.host,
      // In a page (worker), nothing off the page's origin is fetched before the person allowed it.
      fetchUrl: async (url, signal) => {
        const origin = typeof location === 'undefined' ? null : location.origin;
        if (origin !== null) {
          let target: URL | null = null;
          try {
            target = new URL(url, origin);
          } catch {
            target = null;
          }
          if (target !== null && target.origin !== origin && !allowed.has(target.origin)) {
            fail('url.notAllowed', `Fetching ${JSON.stringify(target.href.slice(0, 120))} needs your permission: the studio fetches from another site (${target.origin}) only after you allow it in the dialog.`, { values: { url: target.href.slice(0, 120), origin: target.origin } });
          }
        }
        return options.host.fetchUrl(url, signal);
      },
      boundFile: async (nodeId) => files.get(nodeId),
      boundFileInfo: (nodeId) => {
        const file = files.get(nodeId);
        return file ? { name: file.name, size: file.bytes.length } : undefined;
      },
      boundFingerprint: (nodeId) => files.get(nodeId)?.fingerprint ?? '',
      backend: () => this.backendInfo.backend,
    };
    this.engine = new Engine({ registry: options.registry, host });
  }

  /** Lets load nodes fetch from these origins (the page asked the person first). */
  allowOrigins(origins: string[]): void {
    for (const origin of origins) allowed(this.allowedOrigins, origin);
  }

  /** Records which backend the worker chose (set by the worker after its ladder ran). */
  setBackend(info: BackendInfo): void {
    this.backendInfo = info;
  }

  /** The compute backend in use and the ladder's history. */
  backend(): BackendInfo {
    return this.backendInfo;
  }

  /** Every node kind, for the palette and inspector. */
  catalog(): NodeKindDescription[] {
    return describeKinds(this.registry);
  }

  /** Parses, migrates and validates an untrusted document. */
  validate(input: unknown): ValidationResult {
    const result = loadPipeline(input, this.registry);
    if (result.ok) return { ok: true, document: result.document };
    return result.document ? { ok: false, problems: result.problems, document: result.document } : { ok: false, problems: result.problems };
  }

  /** Node statuses for a document without running (idle, stale, done from cache). */
  statuses(doc: PipelineDocument): Record<string, NodeStatus> {
    return this.engine.statuses(doc);
  }

  /**
   * After an edit from `before` to `after`: the statuses of `after` and the nodes the edit
   * changed (by the cache hashes). The page asks here rather than guessing from the edit.
   */
  afterEdit(before: PipelineDocument, after: PipelineDocument): { statuses: Record<string, NodeStatus>; changed: string[] } {
    return { statuses: this.engine.statuses(after), changed: this.engine.changedNodes(before, after) };
  }

  /** Binds a user's file to a node (e.g. a load node); returns its fingerprint. */
  bindFile(nodeId: string, file: SourceFile, fingerprint: string): string {
    this.files.set(nodeId, { ...file, fingerprint });
    return fingerprint;
  }

  /** Removes a node's bound file. */
  unbindFile(nodeId: string): void {
    this.files.delete(nodeId);
  }

  /** Fingerprints of the bound files by node id. */
  boundFiles(): Record<string, { name: string; size: number; fingerprint: string }> {
    const out: Record<string, { name: string; size: number; fingerprint: string }> = {};
    for (const [id, f] of this.files) out[id] = { name: f.name, size: f.bytes.length, fingerprint: f.fingerprint };
    return out;
  }

  /**
   * Cached results worth keeping across reloads: nodes with a `model` output, or whose run
   * took at least `minDurationMs`, whose cache matches `doc` now. Outputs are live values;
   * the caller encodes them for storage.
   */
  keepableResults(doc: PipelineDocument, minDurationMs = 1000): { nodeId: string; hash: string; outputs: Record<string, unknown>; status: NodeStatus }[] {
    const hashes = this.engine.hashes(doc);
    const out: { nodeId: string; hash: string; outputs: Record<string, unknown>; status: NodeStatus }[] = [];
    for (const node of doc.nodes) {
      const entry = this.engine.cacheEntry(node.id);
      const spec = Object.hasOwn(this.registry, node.kind) ? this.registry[node.kind] : undefined;
      if (!entry || !spec || hashes.get(node.id) !== entry.hash) continue;
      const makesModel = Object.values(spec.outputs).includes('model');
      if (makesModel || (entry.status.durationMs ?? 0) >= minDurationMs) out.push({ nodeId: node.id, ...entry });
    }
    return out;
  }

  /** Seeds the cache with results restored from storage; returns the node ids taken (hash still current). */
  restoreResults(doc: PipelineDocument, results: readonly { nodeId: string; hash: string; outputs: Record<string, unknown>; status: NodeStatus }[]): string[] {
    return results.filter((r) => this.engine.seedCache(doc, r.nodeId, r.hash, r.outputs, r.status)).map((r) => r.nodeId);
  }

  /** Runs the pipeline; events stream through `onEvent`. Cancels any run in progress first. */
  async run(doc: PipelineDocument, options: { targets?: string[] } = {}, onEvent?: (event: EngineEvent) => void): Promise<RunResult> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.engine.prune(doc);
    try {
      return await this.engine.run(doc, { signal: controller.signal, ...(options.targets ? { targets: options.targets } : {}), ...(onEvent ? { onEvent } : {}) });
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  /** Cancels the run in progress (the running node and its descendants become cancelled). */
  cancel(): void {
    this.controller?.abort();
  }

  private value(nodeId: string, port: string): unknown {
    // The latest outputs of the node, whether or not the document changed since: a view keeps
    // showing the last result (the node's status says when it is stale).
    const value = this.engine.lastOutputs(nodeId)?.[port];
    if (value === undefined) throw new InsightError({ code: 'port.noValue', severity: 'error', nodeId, port, values: { node: nodeId, port }, message: `Node ${JSON.stringify(nodeId)} has no result on ${JSON.stringify(port)} yet; run it first.` });
    return value;
  }

  /** A window of a port's value for display. */
  preview(nodeId: string, port: string, offset = 0, limit = 100): PortPreview {
    return portPreview(this.value(nodeId, port), offset, Math.min(limit, 5000));
  }

  /**
   * A window of a table port's rows after a search, filters and a sort (the order is computed
   * once per query and kept while the port's value is unchanged). `totalRows` counts the
   * matching rows, `tableRows` the whole table.
   */
  queryPreview(nodeId: string, port: string, query: TableQuery, offset = 0, limit = 100): QueriedRows {
    const { value, order } = this.ordered(nodeId, port, query);
    const columns = value.columnNames();
    const arrays = columns.map((name) => value.array(name));
    const end = Math.min(order.length, offset + Math.min(limit, 5000));
    const rows: JsonValue[][] = [];
    for (let i = offset; i < end; i++) {
      const r = order[i] ?? 0;
      rows.push(arrays.map((col) => toJsonValue(col[r], 1)));
    }
    return { columns, rows, totalRows: order.length, tableRows: value.numRows(), offset };
  }

  /**
   * Chosen columns of a table port for a chart: the rows matching `query`, evenly sampled down
   * to `limit` (so a scatter of a million rows stays drawable). `totalRows` counts the matches.
   */
  columnValues(nodeId: string, port: string, columns: readonly string[], query: TableQuery = {}, limit = 5000): QueriedRows {
    const { value, order } = this.ordered(nodeId, port, query);
    const names = value.columnNames();
    const missing = columns.find((c) => !names.includes(c));
    if (missing !== undefined) throw new InsightError({ code: 'port.noColumn', severity: 'error', nodeId, port, values: { node: nodeId, port, column: missing }, message: `Column ${JSON.stringify(missing)} is not in ${nodeId}.${port} (columns: ${names.join(', ')}).` });
    const arrays = columns.map((name) => value.array(name));
    const rows = spreadSample(order, Math.max(1, limit)).map((r) => arrays.map((col) => toJsonValue(col[r], 1)));
    return { columns: [...columns], rows, totalRows: order.length, tableRows: value.numRows(), offset: 0 };
  }

  private ordered(nodeId: string, port: string, query: TableQuery): { value: ColumnTable; order: Uint32Array } {
    const value = this.value(nodeId, port);
    if (!isTable(value)) throw new InsightError({ code: 'port.notTable', severity: 'error', nodeId, port, values: { node: nodeId, port }, message: `Port ${nodeId}.${port} does not hold a table.` });
    const key = JSON.stringify(query);
    const cached = this.orders.get(value);
    if (cached && cached.key === key) return { value, order: cached.order };
    const names = value.columnNames();
    let order: Uint32Array;
    try {
      order = queryRows(new Map(names.map((n) => [n, value.array(n)])), value.numRows(), query);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new InsightError({ code: 'port.badQuery', severity: 'error', nodeId, port, values: { node: nodeId, port, reason }, message: reason });
    }
    this.orders.set(value, { key, order });
    return { value, order };
  }

  /** A port's value as a downloadable file (CSV for tables, JSON otherwise). */
  exportPort(nodeId: string, port: string): PortFile {
    return portFile(nodeId, port, this.value(nodeId, port));
  }

  /** The files of an output port to download: a model as its node kind writes it (e.g. model.json + weights.bin), else portFile's one file. */
  exportFiles(nodeId: string, port: string): Promise<ExportFile[]> {
    return portFiles(nodeId, port, this.value(nodeId, port), this.modelWriters);
  }

  /** The raw value of a port, for in-worker consumers (views compute their summaries here). */
  rawValue(nodeId: string, port: string): unknown {
    return this.value(nodeId, port);
  }
}
