/**
 * Pure edits of a pipeline document, as the canvas and inspector make them. Every function
 * returns a new document (the old one is never mutated) so the undo history can keep
 * snapshots. Connection rules come from the engine's `canConnect`; this file only adds the
 * structural checks a canvas needs (known ports, no self-loop, no cycle).
 */
import type { DocEdge, DocNode, PipelineDocument } from '../engine/document.ts';
import { topologicalOrder } from '../engine/graph.ts';
import type { ParamDescription, NodeKindDescription } from '../engine/service.ts';
import { canConnect, type ConnectCheck, type JsonValue, type PortType } from '../engine/ports.ts';

/** Node kinds by kind name, as the page knows them from the engine's catalog. */
export type KindIndex = ReadonlyMap<string, NodeKindDescription>;

/** Indexes a catalog by kind. */
export function indexKinds(kinds: readonly NodeKindDescription[]): KindIndex {
  return new Map(kinds.map((k) => [k.kind, k]));
}

/** Palette categories, in the order the palette shows them. */
export const PALETTE_ORDER = ['data', 'features', 'model', 'evaluate', 'decide'] as const;

/** The palette's list: kinds grouped by category (catalog order within a group), groups in PALETTE_ORDER. */
export function paletteGroups(kinds: readonly NodeKindDescription[]): [string, NodeKindDescription[]][] {
  const order: readonly string[] = PALETTE_ORDER;
  const byCategory = new Map<string, NodeKindDescription[]>();
  for (const k of kinds) byCategory.set(k.category, [...(byCategory.get(k.category) ?? []), k]);
  return [...byCategory.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
}

/** The inspector's form for a node: every param's value, and the visible params grouped by `meta.group` ('' first-seen order). */
export function inspectorForm(node: DocNode, kind: NodeKindDescription): { values: Record<string, JsonValue>; groups: [string, ParamDescription[]][] } {
  const values: Record<string, JsonValue> = {};
  for (const p of kind.params) values[p.name] = paramValue(node, p);
  const groups = new Map<string, ParamDescription[]>();
  for (const p of kind.params) {
    if (!paramVisible(p, values)) continue;
    const g = p.meta.group ?? '';
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  return { values, groups: [...groups.entries()] };
}

/** A node id not used in the document: the kind followed by the smallest free number. */
export function freshNodeId(doc: Pick<PipelineDocument, 'nodes'>, kind: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken]);
  // Node ids must start with a letter; kinds always do, but keep ids valid whatever the kind.
  const stem = /^[A-Za-z]/.test(kind) ? kind.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 56) : `n${kind}`.slice(0, 56);
  for (let i = 1; ; i++) {
    const id = `${stem}${i}`;
    if (!used.has(id)) return id;
  }
}

/** Adds a node of a kind at a position (params left empty: the engine fills defaults). */
export function addNode(doc: PipelineDocument, kind: NodeKindDescription, position: readonly [number, number]): { doc: PipelineDocument; id: string } {
  const id = freshNodeId(doc, kind.kind);
  const node: DocNode = { id, kind: kind.kind, version: kind.version, params: {}, position: [position[0], position[1]], note: '' };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/** Removes nodes and every edge touching them. */
export function removeNodes(doc: PipelineDocument, ids: Iterable<string>): PipelineDocument {
  const gone = new Set(ids);
  if (gone.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.from[0]) && !gone.has(e.to[0])),
  };
}

/** Removes the given edges (matched by their ends). */
export function removeEdges(doc: PipelineDocument, edges: Iterable<DocEdge>): PipelineDocument {
  const keys = new Set([...edges].map(edgeKey));
  if (keys.size === 0) return doc;
  return { ...doc, edges: doc.edges.filter((e) => !keys.has(edgeKey(e))) };
}

/** A stable string key of an edge, e.g. `load1.table->clean1.table`. */
export function edgeKey(edge: DocEdge): string {
  return `${edge.from[0]}.${edge.from[1]}->${edge.to[0]}.${edge.to[1]}`;
}

/** Copied nodes and the edges among them. */
export interface Clipboard {
  /** Copied nodes (deep copies). */
  nodes: DocNode[];
  /** Edges whose both ends were copied. */
  edges: DocEdge[];
}

/** Copies nodes and the edges between them. */
export function copyNodes(doc: PipelineDocument, ids: Iterable<string>): Clipboard {
  const chosen = new Set(ids);
  return {
    nodes: structuredClone(doc.nodes.filter((n) => chosen.has(n.id))),
    edges: structuredClone(doc.edges.filter((e) => chosen.has(e.from[0]) && chosen.has(e.to[0]))),
  };
}

/** Pastes a clipboard with fresh ids, shifted by `offset`; returns the new ids in order. */
export function pasteNodes(doc: PipelineDocument, clip: Clipboard, offset: readonly [number, number] = [40, 40]): { doc: PipelineDocument; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  const nodes: DocNode[] = [];
  for (const node of clip.nodes) {
    const id = freshNodeId(doc, node.kind, taken);
    taken.add(id);
    rename.set(node.id, id);
    nodes.push({ ...structuredClone(node), id, position: [node.position[0] + offset[0], node.position[1] + offset[1]] });
  }
  const edges: DocEdge[] = [];
  for (const edge of clip.edges) {
    const from = rename.get(edge.from[0]);
    const to = rename.get(edge.to[0]);
    if (from !== undefined && to !== undefined) edges.push({ from: [from, edge.from[1]], to: [to, edge.to[1]] });
  }
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

/** Duplicates nodes (and the edges among them) next to the originals. */
export function duplicateNodes(doc: PipelineDocument, ids: Iterable<string>): { doc: PipelineDocument; ids: string[] } {
  return pasteNodes(doc, copyNodes(doc, ids));
}

/** Port type of a node's output or input, or a reason it does not exist. */
function portOf(doc: PipelineDocument, kinds: KindIndex, nodeId: string, port: string, side: 'input' | 'output'): { ok: true; type: PortType } | { ok: false; reason: string } {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: `node ${JSON.stringify(nodeId)} does not exist` };
  const kind = kinds.get(node.kind);
  if (!kind) return { ok: false, reason: `node kind ${JSON.stringify(node.kind)} is unknown` };
  const found = side === 'input' ? kind.inputs.find((p) => p.name === port) : kind.outputs.find((p) => p.name === port);
  if (!found) return { ok: false, reason: `${kind.label} has no ${side} ${JSON.stringify(port)}` };
  return { ok: true, type: found.type };
}

/**
 * Whether `from` (node, output port) may feed `to` (node, input port): the port types must
 * pass the engine's `canConnect`, and the edge must not create a loop.
 */
export function checkConnection(doc: PipelineDocument, kinds: KindIndex, from: readonly [string, string], to: readonly [string, string]): ConnectCheck {
  if (from[0] === to[0]) return { ok: false, reason: 'a node cannot feed itself' };
  const out = portOf(doc, kinds, from[0], from[1], 'output');
  if (!out.ok) return out;
  const inp = portOf(doc, kinds, to[0], to[1], 'input');
  if (!inp.ok) return inp;
  const typed = canConnect(out.type, inp.type);
  if (!typed.ok) return typed;
  const candidate = { nodes: doc.nodes, edges: [...doc.edges.filter((e) => !(e.to[0] === to[0] && e.to[1] === to[1])), { from: [from[0], from[1]], to: [to[0], to[1]] } satisfies DocEdge] };
  if (!topologicalOrder(candidate).ok) return { ok: false, reason: 'the connection would make a loop' };
  return { ok: true };
}

/**
 * Connects an output to an input. An input takes one edge, so an existing edge into the same
 * input is replaced.
 */
export function connect(doc: PipelineDocument, kinds: KindIndex, from: readonly [string, string], to: readonly [string, string]): { ok: true; doc: PipelineDocument } | { ok: false; reason: string } {
  const check = checkConnection(doc, kinds, from, to);
  if (!check.ok) return check;
  const edges = doc.edges.filter((e) => !(e.to[0] === to[0] && e.to[1] === to[1]));
  edges.push({ from: [from[0], from[1]], to: [to[0], to[1]] });
  return { ok: true, doc: { ...doc, edges } };
}

/** Removes the edge feeding one input, if any. */
export function disconnectInput(doc: PipelineDocument, nodeId: string, port: string): PipelineDocument {
  return { ...doc, edges: doc.edges.filter((e) => !(e.to[0] === nodeId && e.to[1] === port)) };
}

/** Replaces one node via an updater (identity when the node does not exist). */
function updateNode(doc: PipelineDocument, nodeId: string, update: (node: DocNode) => DocNode): PipelineDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    changed = true;
    return update(n);
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Sets one param of a node (the value is stored as given; the engine validates it). */
export function setParam(doc: PipelineDocument, nodeId: string, name: string, value: JsonValue): PipelineDocument {
  return updateNode(doc, nodeId, (n) => ({ ...n, params: { ...n.params, [name]: structuredClone(value) } }));
}

/** Removes a param so the node uses the kind's default again. */
export function resetParam(doc: PipelineDocument, nodeId: string, name: string): PipelineDocument {
  return updateNode(doc, nodeId, (n) => {
    const params = { ...n.params };
    delete params[name];
    return { ...n, params };
  });
}

/** Sets a node's markdown note. */
export function setNote(doc: PipelineDocument, nodeId: string, note: string): PipelineDocument {
  return updateNode(doc, nodeId, (n) => ({ ...n, note }));
}

/** Moves nodes to new positions (nodes not named keep theirs). */
export function moveNodes(doc: PipelineDocument, positions: ReadonlyMap<string, readonly [number, number]>): PipelineDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (p[0] === n.position[0] && p[1] === n.position[1])) return n;
    changed = true;
    return { ...n, position: [p[0], p[1]] satisfies [number, number] };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** The value a param has on a node: the stored one, or the kind's default. */
export function paramValue(node: DocNode, param: ParamDescription): JsonValue {
  if (Object.hasOwn(node.params, param.name)) {
    const stored: unknown = node.params[param.name];
    return toJson(stored);
  }
  return param.default;
}

/**
 * The size cap a file-reading node declares through its `maxMegabytes` param (the stored value,
 * else the default), so the page can refuse a larger file before reading it; null when the
 * kind declares none or the value is not a positive number.
 */
export function fileSizeCap(node: DocNode, kind: NodeKindDescription | undefined): { megabytes: number; bytes: number } | null {
  const param = kind?.params.find((p) => p.name === 'maxMegabytes');
  if (!param) return null;
  const value = paramValue(node, param);
  if (typeof value !== 'number' || !(value > 0)) return null;
  return { megabytes: value, bytes: value * 1024 * 1024 };
}

function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return null;
}

/** Whether a param's field is shown, given `showIf` and the node's current values. */
export function paramVisible(param: ParamDescription, values: Readonly<Record<string, JsonValue>>): boolean {
  const rule = param.meta.showIf;
  if (!rule) return true;
  return Object.entries(rule).every(([other, allowed]) => {
    const current = values[other];
    return (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') && allowed.includes(current);
  });
}

/** The input port a column picker reads its columns from (`meta.from`, else the first table-like input). */
export function columnSourcePort(kind: NodeKindDescription, param: ParamDescription): string | undefined {
  if (param.meta.from !== undefined) return param.meta.from;
  const tableLike = new Set<PortType>(['table', 'predictions', 'recommendations']);
  return kind.inputs.find((p) => tableLike.has(p.type))?.name;
}

/** The upstream (node, output port) feeding an input, if connected. */
export function upstreamOf(doc: PipelineDocument, nodeId: string, port: string): readonly [string, string] | undefined {
  return doc.edges.find((e) => e.to[0] === nodeId && e.to[1] === port)?.from;
}
