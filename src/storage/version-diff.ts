/**
 * Node-by-node differences between two versions of a pipeline document, for the version
 * list ("what changed since v3?"); the studio words them in the page's language
 * (src/studio/projects/diff-text.ts).
 */
import type { DocEdge, DocNode, PipelineDocument } from '../engine/document.ts';
import { canonicalJson } from '../engine/hash.ts';

/** How one node changed. */
export interface NodeChange {
  /** Node id. */
  id: string;
  /** Node kind (in the newer version). */
  kind: string;
  /** Names of params whose values differ, sorted. */
  params: string[];
  /** Whether the node moved on the canvas. */
  moved: boolean;
  /** Whether its note changed. */
  note: boolean;
  /** Whether its label changed. */
  label: boolean;
  /** Whether its kind or kind version changed. */
  kindChanged: boolean;
}

/** Everything that differs between two versions. */
export interface DocumentDiff {
  /** Nodes only in the newer version. */
  added: { id: string; kind: string }[];
  /** Nodes only in the older version. */
  removed: { id: string; kind: string }[];
  /** Nodes in both that differ. */
  changed: NodeChange[];
  /** Edges only in the newer version, as `from.port → to.port`. */
  edgesAdded: string[];
  /** Edges only in the older version. */
  edgesRemoved: string[];
  /** Document fields that changed: name, description, seed, notes. */
  fields: string[];
}

function edgeText(e: DocEdge): string {
  return `${e.from[0]}.${e.from[1]} → ${e.to[0]}.${e.to[1]}`;
}

function nodeChange(a: DocNode, b: DocNode): NodeChange | null {
  const names = new Set([...Object.keys(a.params), ...Object.keys(b.params)]);
  const params = [...names].filter((k) => canonicalJson(a.params[k]) !== canonicalJson(b.params[k])).sort();
  const change: NodeChange = {
    id: b.id,
    kind: b.kind,
    params,
    moved: a.position[0] !== b.position[0] || a.position[1] !== b.position[1],
    note: (a.note ?? '') !== (b.note ?? ''),
    label: (a.label ?? '') !== (b.label ?? ''),
    kindChanged: a.kind !== b.kind || a.version !== b.version,
  };
  return params.length > 0 || change.moved || change.note || change.label || change.kindChanged ? change : null;
}

/** Compares an older and a newer document node by node. */
export function diffDocuments(older: PipelineDocument, newer: PipelineDocument): DocumentDiff {
  const before = new Map(older.nodes.map((n) => [n.id, n]));
  const after = new Map(newer.nodes.map((n) => [n.id, n]));
  const added = newer.nodes.filter((n) => !before.has(n.id)).map((n) => ({ id: n.id, kind: n.kind }));
  const removed = older.nodes.filter((n) => !after.has(n.id)).map((n) => ({ id: n.id, kind: n.kind }));
  const changed: NodeChange[] = [];
  for (const n of newer.nodes) {
    const old = before.get(n.id);
    const change = old ? nodeChange(old, n) : null;
    if (change) changed.push(change);
  }
  const oldEdges = new Set(older.edges.map(edgeText));
  const newEdges = new Set(newer.edges.map(edgeText));
  const fields: string[] = [];
  if (older.name !== newer.name) fields.push('name');
  if ((older.description ?? '') !== (newer.description ?? '')) fields.push('description');
  if (older.seed !== newer.seed) fields.push('seed');
  if (canonicalJson(older.notes ?? []) !== canonicalJson(newer.notes ?? [])) fields.push('notes');
  return {
    added,
    removed,
    changed,
    edgesAdded: [...newEdges].filter((e) => !oldEdges.has(e)),
    edgesRemoved: [...oldEdges].filter((e) => !newEdges.has(e)),
    fields,
  };
}
