/**
 * Graph structure of a pipeline: adjacency, topological order, cycle detection, ancestors
 * and descendants. Pure functions over node ids and edges.
 */
import type { DocEdge, PipelineDocument } from './document.ts';

/** Upstream and downstream neighbours of each node. */
export interface Adjacency {
  /** Node ids in document order. */
  ids: string[];
  /** Edges into each node. */
  incoming: Map<string, DocEdge[]>;
  /** Edges out of each node. */
  outgoing: Map<string, DocEdge[]>;
}

/** Builds adjacency lists, ignoring edges whose ends are not nodes of the document. */
export function adjacency(doc: Pick<PipelineDocument, 'nodes' | 'edges'>): Adjacency {
  const ids = doc.nodes.map((n) => n.id);
  const known = new Set(ids);
  const incoming = new Map<string, DocEdge[]>(ids.map((id) => [id, []]));
  const outgoing = new Map<string, DocEdge[]>(ids.map((id) => [id, []]));
  for (const edge of doc.edges) {
    if (!known.has(edge.from[0]) || !known.has(edge.to[0])) continue;
    incoming.get(edge.to[0])?.push(edge);
    outgoing.get(edge.from[0])?.push(edge);
  }
  return { ids, incoming, outgoing };
}

/** Result of ordering the graph. */
export type TopoResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Topological order (Kahn's algorithm, ties broken by document order so the order is
 * stable); on a cycle, returns the nodes of one cycle in order.
 */
export function topologicalOrder(doc: Pick<PipelineDocument, 'nodes' | 'edges'>): TopoResult {
  return topologicalPass(doc).result;
}

/**
 * One pass of the sort behind topologicalOrder, also returning the nodes it could order:
 * every node with no cycle upstream, in the same order a sort of those nodes alone gives
 * (so a run can skip the cycles without sorting again).
 */
export function topologicalPass(doc: Pick<PipelineDocument, 'nodes' | 'edges'>): { result: TopoResult; ordered: string[] } {
  const adj = adjacency(doc);
  const indegree = new Map<string, number>();
  for (const id of adj.ids) indegree.set(id, new Set((adj.incoming.get(id) ?? []).map((e) => e.from[0])).size);
  const position = new Map(adj.ids.map((id, i) => [id, i]));
  const ready = adj.ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    const id = ready.shift();
    if (id === undefined) break;
    order.push(id);
    const targets = new Set((adj.outgoing.get(id) ?? []).map((e) => e.to[0]));
    for (const target of targets) {
      const left = (indegree.get(target) ?? 0) - 1;
      indegree.set(target, left);
      if (left === 0) ready.push(target);
    }
  }
  if (order.length === adj.ids.length) return { result: { ok: true, order }, ordered: order };
  return { result: { ok: false, cycle: findCycle(adj, new Set(order)) }, ordered: order };
}

/** Finds one cycle among the nodes not yet ordered (depth-first search). */
function findCycle(adj: Adjacency, done: Set<string>): string[] {
  const state = new Map<string, 'visiting' | 'visited'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const edge of adj.outgoing.get(id) ?? []) {
      const next = edge.to[0];
      if (done.has(next)) continue;
      if (state.get(next) === 'visiting') return stack.slice(stack.indexOf(next));
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'visited');
    return null;
  };
  for (const id of adj.ids) {
    if (done.has(id) || state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return [];
}

/** Every node reachable downstream of the given ones (not including them). */
export function descendants(doc: Pick<PipelineDocument, 'nodes' | 'edges'>, from: Iterable<string>): Set<string> {
  return reach(adjacency(doc).outgoing, from, (e) => e.to[0]);
}

/** Every node upstream of the given ones (not including them). */
export function ancestors(doc: Pick<PipelineDocument, 'nodes' | 'edges'>, from: Iterable<string>): Set<string> {
  return reach(adjacency(doc).incoming, from, (e) => e.from[0]);
}

function reach(edges: Map<string, DocEdge[]>, from: Iterable<string>, next: (e: DocEdge) => string): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const id = queue.pop();
    if (id === undefined) break;
    for (const edge of edges.get(id) ?? []) {
      const n = next(edge);
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}
