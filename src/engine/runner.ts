/**
 * The runner: executes a pipeline in topological order, caches every node's outputs under a
 * content hash of (kind, version, params, seed, node id, input hashes, bound file), reports
 * states and progress, and cancels through an AbortSignal. A failing node never crashes the
 * run: its descendants are blocked and the other nodes finish.
 */
import type { PipelineDocument, DocNode } from './document.ts';
import { InsightError, formatMessage, isAbort, issue, toIssue, type InsightIssue, type IssueValues } from './errors.ts';
import { ancestors, descendants, topologicalOrder, topologicalPass, type TopoResult } from './graph.ts';
import { canonicalJson, hash64 } from './hash.ts';
import { declaredMessage, inputOptional, type AnyNodeSpec, type NodeContext, type NodeEvent, type NodeHost } from './node.ts';
import { resolvedParams, validatePipeline, type NodeRegistry } from './validate.ts';
import { createRng, deriveSeed } from '../ml/random.ts';

/** The states a node can be in. */
export type NodeState = 'idle' | 'stale' | 'running' | 'done' | 'warning' | 'error' | 'blocked' | 'cancelled';

/** What the page shows on a node. */
export interface NodeStatus {
  /** Current state. */
  state: NodeState;
  /** Progress in [0, 1] while running (1 when done). */
  progress: number;
  /** Progress detail line. */
  detail: string;
  /** Errors and warnings, tagged and serialisable. */
  issues: InsightIssue[];
  /** One-line summary of the outputs (rows, AUC, k). */
  summary: string;
  /** Wall time of the last execution in ms (null if never run). */
  durationMs: number | null;
  /** Whether the outputs came from the cache in the last run. */
  cached: boolean;
}

/** Events the runner emits while running. */
export type EngineEvent =
  | { type: 'status'; nodeId: string; status: NodeStatus }
  | { type: 'progress'; nodeId: string; fraction: number; detail: string }
  | { type: 'node-event'; nodeId: string; event: NodeEvent };

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Run only these nodes and their ancestors ("run to here"); all when absent. */
  targets?: readonly string[];
  /** Receives events as they happen. */
  onEvent?: (event: EngineEvent) => void;
  /**
   * Receives each node's outputs (awaited) once it has run or was found cached, in run order,
   * before `release` may drop them: the CLI writes them here.
   */
  onOutputs?: (nodeId: string, outputs: Record<string, unknown>) => void | Promise<void>;
  /**
   * Drops a node's outputs from the cache as soon as every node of this run that reads them
   * has run (right after `onOutputs` for a node nothing reads), so that a one-shot run (the
   * CLI) holds only what the nodes still to run need; the next run executes every node again.
   * Off by default: the studio shows every node's result and re-runs only what changed.
   */
  release?: boolean;
}

/** What a run reports. */
export interface RunReport {
  /** Final status of every node in the document. */
  statuses: Record<string, NodeStatus>;
  /** Node ids whose run function actually executed (cache misses), in order. */
  executed: string[];
  /** Problems that concern the document as a whole (no node to show them on). */
  documentIssues: InsightIssue[];
  /** True when every node that was asked to run ended done or warning. */
  ok: boolean;
  /** Whether the run was cancelled. */
  cancelled: boolean;
}

interface CacheEntry {
  hash: string;
  outputs: Record<string, unknown>;
  status: NodeStatus;
}

const emptyStatus = (state: NodeState): NodeStatus => ({ state, progress: 0, detail: '', issues: [], summary: '', durationMs: null, cached: false });

/** The pipeline engine: one per worker (or CLI run); holds the output cache. */
export class Engine {
  private readonly registry: NodeRegistry;
  private readonly host: NodeHost;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly failed = new Map<string, { hash: string; status: NodeStatus }>();

  constructor(options: { registry: NodeRegistry; host: NodeHost }) {
    this.registry = options.registry;
    this.host = options.host;
  }

  /** The node kinds this engine runs. */
  get kinds(): NodeRegistry {
    return this.registry;
  }

  /** The cache hash of every node that can be hashed (unknown kinds and cycles excluded). */
  hashes(doc: PipelineDocument): Map<string, string> {
    return this.hashesIn(doc, topologicalOrder(doc));
  }

  private hashesIn(doc: PipelineDocument, topo: TopoResult): Map<string, string> {
    const out = new Map<string, string>();
    const order = topo.ok ? topo.order : doc.nodes.map((n) => n.id).filter((id) => !topo.cycle.includes(id));
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    for (const id of order) {
      const node = byId.get(id);
      const spec = node ? this.spec(node) : undefined;
      if (!node || !spec) continue;
      const inputs: string[] = [];
      let complete = true;
      for (const edge of doc.edges) {
        if (edge.to[0] !== id) continue;
        const upstream = out.get(edge.from[0]);
        if (upstream === undefined) complete = false;
        inputs.push(`${edge.to[1]}=${upstream ?? '?'}:${edge.from[1]}`);
      }
      if (!complete) continue;
      inputs.sort();
      const key = canonicalJson({
        kind: node.kind,
        version: spec.version,
        id: node.id,
        seed: doc.seed,
        params: resolvedParams(node, spec),
        inputs,
        file: spec.readsFile ? this.host.boundFingerprint(node.id) : '',
      });
      out.set(id, hash64(key));
    }
    return out;
  }

  /**
   * The nodes of `after` an edit from `before` changed: new nodes, and nodes whose cache hash
   * differs (their kind, params, inputs, seed or bound file changed, or an upstream node's did).
   */
  changedNodes(before: PipelineDocument, after: PipelineDocument): string[] {
    const was = this.hashes(before);
    const now = this.hashes(after);
    const existed = new Set(before.nodes.map((n) => n.id));
    return after.nodes.filter((n) => !existed.has(n.id) || was.get(n.id) !== now.get(n.id)).map((n) => n.id);
  }

  /** Statuses without running: done where the cache matches, stale where it does not, else idle. */
  statuses(doc: PipelineDocument): Record<string, NodeStatus> {
    return this.statusesFor(doc, this.hashes(doc));
  }

  private statusesFor(doc: PipelineDocument, hashes: Map<string, string>): Record<string, NodeStatus> {
    const out: Record<string, NodeStatus> = {};
    for (const node of doc.nodes) {
      const hash = hashes.get(node.id);
      const entry = this.cache.get(node.id);
      const failed = this.failed.get(node.id);
      if (entry && hash !== undefined && entry.hash === hash) out[node.id] = { ...entry.status, cached: true };
      else if (failed && hash !== undefined && failed.hash === hash) out[node.id] = failed.status;
      else if (entry || failed) out[node.id] = emptyStatus('stale');
      else out[node.id] = emptyStatus('idle');
    }
    return out;
  }

  /** The cached outputs of a node if they match the document as it is now. */
  outputs(doc: PipelineDocument, nodeId: string): Record<string, unknown> | undefined {
    const entry = this.cache.get(nodeId);
    if (!entry) return undefined;
    return this.hashes(doc).get(nodeId) === entry.hash ? entry.outputs : undefined;
  }

  /** The last outputs computed for a node id, whatever the document now says. */
  lastOutputs(nodeId: string): Record<string, unknown> | undefined {
    return this.cache.get(nodeId)?.outputs;
  }

  /** Drops cached outputs of nodes no longer in the document. */
  prune(doc: PipelineDocument): void {
    const ids = new Set(doc.nodes.map((n) => n.id));
    for (const id of [...this.cache.keys()]) if (!ids.has(id)) this.cache.delete(id);
    for (const id of [...this.failed.keys()]) if (!ids.has(id)) this.failed.delete(id);
  }

  /** A node's cached outputs with the hash and status they belong to (for persisting), if any. */
  cacheEntry(nodeId: string): { hash: string; outputs: Record<string, unknown>; status: NodeStatus } | undefined {
    const entry = this.cache.get(nodeId);
    return entry ? { hash: entry.hash, outputs: entry.outputs, status: entry.status } : undefined;
  }

  /**
   * Puts outputs computed earlier (e.g. a trained model restored from storage) into the cache,
   * only if `hash` is the node's hash in `doc` now; returns whether they were taken. A later
   * run then finds the node cached and does not execute it again.
   */
  seedCache(doc: PipelineDocument, nodeId: string, hash: string, outputs: Record<string, unknown>, status: NodeStatus): boolean {
    if (this.hashes(doc).get(nodeId) !== hash) return false;
    this.failed.delete(nodeId);
    this.cache.set(nodeId, { hash, outputs, status: { ...status, cached: true } });
    return true;
  }

  /** Forgets every cached output. */
  clear(): void {
    this.cache.clear();
    this.failed.clear();
  }

  private spec(node: DocNode): AnyNodeSpec | undefined {
    return Object.hasOwn(this.registry, node.kind) ? this.registry[node.kind] : undefined;
  }

  /** Runs the pipeline (or the part needed for `targets`). */
  async run(doc: PipelineDocument, options: RunOptions = {}): Promise<RunReport> {
    const signal = options.signal ?? new AbortController().signal;
    const emit = options.onEvent ?? (() => undefined);
    // Sorted once and hashed once per run: validation, hashes, statuses, cache lookups and the
    // run loop all read the same order and the same map.
    const pass = topologicalPass(doc);
    const topo = pass.result;
    const hashes = this.hashesIn(doc, topo);
    const statuses: Record<string, NodeStatus> = this.statusesFor(doc, hashes);
    const executed: string[] = [];
    const setStatus = (nodeId: string, status: NodeStatus): void => {
      statuses[nodeId] = status;
      emit({ type: 'status', nodeId, status });
    };

    const problems = validatePipeline(doc, this.registry, topo);
    const documentIssues = problems.filter((p) => p.nodeId === undefined && p.code !== 'graph.cycle');
    const nodeProblems = new Map<string, InsightIssue[]>();
    for (const p of problems) {
      if (p.nodeId === undefined) continue;
      nodeProblems.set(p.nodeId, [...(nodeProblems.get(p.nodeId) ?? []), p]);
    }

    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    let order: string[];
    if (topo.ok) {
      order = topo.order;
    } else {
      const cyclic = new Set(topo.cycle);
      const cycleIssue = issue('graph.cycle', `The pipeline has a cycle: ${[...topo.cycle, topo.cycle[0]].join(' → ')}.`, { values: { nodes: topo.cycle.join(',') } });
      const downstream = descendants(doc, cyclic);
      for (const id of cyclic) setStatus(id, { ...emptyStatus('error'), issues: [{ ...cycleIssue, nodeId: id }] });
      for (const id of downstream) if (!cyclic.has(id)) setStatus(id, { ...emptyStatus('blocked'), issues: [blockedIssue(id, [...cyclic][0] ?? '')] });
      // The rest runs when it holds no other cycle: then the pass ordered exactly those nodes
      // (as a sort of them alone would); with another cycle, nothing runs.
      const rest = doc.nodes.filter((n) => !cyclic.has(n.id) && !downstream.has(n.id)).length;
      order = pass.ordered.length === rest ? pass.ordered : [];
    }
    if (options.targets) {
      const wanted = ancestors(doc, options.targets);
      for (const t of options.targets) wanted.add(t);
      order = order.filter((id) => wanted.has(id));
    }

    // Workers take seconds to start: start them now, while the nodes before a parallel one run.
    const parallelAhead = order.some((id) => {
      const node = byId.get(id);
      return node !== undefined && this.spec(node)?.parallel === true && this.cache.get(id)?.hash !== hashes.get(id);
    });
    if (parallelAhead) this.host.pool?.warm?.();

    const finished = new Map<string, NodeState>();
    let cancelled = false;
    // With `release`: how many nodes still to run read each node's outputs.
    const readers = new Map<string, number>();
    if (options.release) {
      const inOrder = new Set(order);
      for (const edge of doc.edges) if (inOrder.has(edge.to[0]) && inOrder.has(edge.from[0])) readers.set(edge.from[0], (readers.get(edge.from[0]) ?? 0) + 1);
    }
    const releaseIfUnread = (nodeId: string): void => {
      if (options.release && (readers.get(nodeId) ?? 0) === 0) this.cache.delete(nodeId);
    };
    // Called once for each node of the order that was reached: its reads are done, its outputs handed on.
    const settle = async (nodeId: string): Promise<void> => {
      const entry = this.cache.get(nodeId);
      const state = finished.get(nodeId);
      if (entry && (state === 'done' || state === 'warning')) await options.onOutputs?.(nodeId, entry.outputs);
      if (!options.release) return;
      for (const edge of doc.edges) {
        if (edge.to[0] !== nodeId || !readers.has(edge.from[0])) continue;
        readers.set(edge.from[0], (readers.get(edge.from[0]) ?? 1) - 1);
        releaseIfUnread(edge.from[0]);
      }
      releaseIfUnread(nodeId);
      this.host.collect?.();
    };

    for (const id of order) {
      try {
        const node = byId.get(id);
        if (!node) continue;
        if (cancelled || signal.aborted) {
          cancelled = true;
          break;
        }
        const spec = this.spec(node);
        const ownProblems = nodeProblems.get(id) ?? [];
        const ownErrors = ownProblems.filter((p) => p.severity === 'error' && (p.nodeId === id));
        if (!spec || ownErrors.length > 0) {
          setStatus(id, { ...emptyStatus('error'), issues: ownErrors.length ? ownErrors : [issue('node.unknownKind', `Unknown node kind ${JSON.stringify(node.kind)}.`, { nodeId: id, values: { node: id, kind: node.kind } })] });
          finished.set(id, 'error');
          continue;
        }

        // Inputs: each connected port takes the upstream output; missing required ports fail.
        const inputs: Record<string, unknown> = {};
        let blockedBy: string | null = null;
        let cancelledUpstream = false;
        const missing: string[] = [];
        for (const [port, inSpec] of Object.entries(spec.inputs)) {
          const edge = doc.edges.find((e) => e.to[0] === id && e.to[1] === port);
          if (!edge) {
            if (!inputOptional(inSpec)) missing.push(port);
            continue;
          }
          const upstreamState = finished.get(edge.from[0]) ?? statuses[edge.from[0]]?.state;
          if (upstreamState === 'cancelled') cancelledUpstream = true;
          if (upstreamState !== 'done' && upstreamState !== 'warning') {
            blockedBy ??= edge.from[0];
            continue;
          }
          const upstream = this.cache.get(edge.from[0]);
          if (!upstream || !(edge.from[1] in upstream.outputs)) {
            blockedBy ??= edge.from[0];
            continue;
          }
          inputs[port] = upstream.outputs[edge.from[1]];
        }
        if (missing.length > 0) {
          const port = missing[0] ?? '';
          setStatus(id, {
            ...emptyStatus('error'),
            issues: [issue('input.missing', `Input ${JSON.stringify(port)} of node ${JSON.stringify(id)} (${spec.label}) is not connected.`, { nodeId: id, port, values: { node: id, port } })],
          });
          finished.set(id, 'error');
          continue;
        }
        if (blockedBy !== null) {
          const state: NodeState = cancelledUpstream ? 'cancelled' : 'blocked';
          setStatus(id, { ...emptyStatus(state), issues: state === 'blocked' ? [blockedIssue(id, blockedBy)] : [] });
          finished.set(id, state);
          continue;
        }

        const hash = hashes.get(id) ?? '';
        const cached = this.cache.get(id);
        if (cached && cached.hash === hash) {
          const status = { ...cached.status, cached: true };
          setStatus(id, status);
          finished.set(id, status.state);
          continue;
        }

        const outcome = await this.execute(doc, node, spec, inputs, signal, emit, setStatus);
        executed.push(id);
        if (outcome.kind === 'cancelled') {
          cancelled = true;
          setStatus(id, { ...emptyStatus('cancelled'), durationMs: outcome.durationMs });
          for (const d of descendants(doc, [id])) setStatus(d, emptyStatus('cancelled'));
          break;
        }
        if (outcome.kind === 'error') {
          this.cache.delete(id);
          this.failed.set(id, { hash, status: outcome.status });
          setStatus(id, outcome.status);
          finished.set(id, 'error');
          continue;
        }
        this.failed.delete(id);
        this.cache.set(id, { hash, outputs: outcome.outputs, status: outcome.status });
        setStatus(id, outcome.status);
        finished.set(id, outcome.status.state);
      } finally {
        // Every way out of this node's turn (done, failed, blocked, cached) hands on its outputs.
        await settle(id);
      }
    }

    const asked = new Set(order);
    const ok = !cancelled && documentIssues.length === 0 && [...asked].every((id) => statuses[id]?.state === 'done' || statuses[id]?.state === 'warning');
    return { statuses, executed, documentIssues, ok, cancelled };
  }

  private async execute(
    doc: PipelineDocument,
    node: DocNode,
    spec: AnyNodeSpec,
    inputs: Record<string, unknown>,
    signal: AbortSignal,
    emit: (event: EngineEvent) => void,
    setStatus: (nodeId: string, status: NodeStatus) => void,
  ): Promise<{ kind: 'done'; outputs: Record<string, unknown>; status: NodeStatus } | { kind: 'error'; status: NodeStatus } | { kind: 'cancelled'; durationMs: number }> {
    const id = node.id;
    const warnings: InsightIssue[] = [];
    const started = performance.now();
    setStatus(id, { ...emptyStatus('running') });
    const checkCancelled = (): void => {
      if (signal.aborted) throw new InsightError({ code: 'run.cancelled', severity: 'error', message: 'The run was cancelled.', nodeId: id, values: {} });
    };
    const ctx: NodeContext = {
      nodeId: id,
      seed: doc.seed,
      random: createRng(deriveSeed(doc.seed, id)),
      signal,
      host: this.host,
      progress: (fraction, detail = '') => emit({ type: 'progress', nodeId: id, fraction: Math.max(0, Math.min(1, fraction)), detail }),
      warn: (code: string, values: IssueValues = {}) => {
        const m = declaredMessage(spec, code, values);
        warnings.push({ tag: 'InsightIssue', code: m.code, severity: 'warning', message: m.message, nodeId: id, values });
      },
      fail: (code: string, values: IssueValues = {}, param?: string): never => {
        const m = declaredMessage(spec, code, values);
        throw new InsightError({ code: m.code, severity: 'error', message: m.message, nodeId: id, values, ...(param === undefined ? {} : { param }) });
      },
      emit: (event) => emit({ type: 'node-event', nodeId: id, event }),
      checkCancelled,
    };
    try {
      const params = resolvedParams(node, spec);
      const outputs = await spec.run(inputs, params, ctx);
      checkCancelled();
      for (const port of Object.keys(spec.outputs)) {
        if (!(port in outputs) || outputs[port] === undefined) {
          throw new InsightError({ code: 'node.missingOutput', severity: 'error', nodeId: id, port, values: { node: id, port }, message: `Node ${JSON.stringify(id)} (${spec.label}) did not produce its output ${JSON.stringify(port)}.` });
        }
      }
      let summary = '';
      try {
        summary = spec.summary ? spec.summary(outputs, params) : '';
      } catch {
        summary = '';
      }
      const durationMs = performance.now() - started;
      return {
        kind: 'done',
        outputs,
        status: { state: warnings.length > 0 ? 'warning' : 'done', progress: 1, detail: '', issues: warnings, summary, durationMs, cached: false },
      };
    } catch (err) {
      const durationMs = performance.now() - started;
      if (isAbort(err) || signal.aborted) return { kind: 'cancelled', durationMs };
      const problem = toIssue(err, id);
      return { kind: 'error', status: { state: 'error', progress: 0, detail: '', issues: [problem, ...warnings], summary: '', durationMs, cached: false } };
    }
  }
}

function blockedIssue(nodeId: string, upstream: string): InsightIssue {
  return {
    tag: 'InsightIssue',
    code: 'node.blocked',
    severity: 'warning',
    message: formatMessage('Not run: upstream node {upstream} did not finish.', { upstream }),
    nodeId,
    values: { upstream },
  };
}
