import { describe, expect, it } from 'vitest';
import type { NodeKindDescription } from '../../src/engine/service.ts';
import { blankDocument, type PipelineDocument } from '../../src/engine/document.ts';
import {
  addNode, checkConnection, columnSourcePort, connect, copyNodes, duplicateNodes, fileSizeCap, freshNodeId,
  indexKinds, moveNodes, paramValue, paramVisible, pasteNodes, removeNodes, resetParam, setParam,
} from '../../src/studio/doc-ops.ts';

const kind = (name: string, inputs: NodeKindDescription['inputs'], outputs: NodeKindDescription['outputs']): NodeKindDescription => ({
  kind: name, version: 1, label: name[0]?.toUpperCase() + name.slice(1), description: '', category: 'data', inputs, outputs, params: [], readsFile: false,
});

const kinds = indexKinds([
  kind('load', [], [{ name: 'table', type: 'table' }]),
  kind('normalise', [{ name: 'table', type: 'table', optional: false }], [{ name: 'table', type: 'table' }, { name: 'transform', type: 'transform' }]),
  kind('lstm', [{ name: 'sequences', type: 'sequences', optional: false }], [{ name: 'model', type: 'model' }, { name: 'predictions', type: 'predictions' }]),
  kind('evaluate', [{ name: 'predictions', type: 'predictions', optional: false }], [{ name: 'metrics', type: 'metrics' }]),
]);

function chain(): PipelineDocument {
  let doc = blankDocument('t');
  for (const k of ['load', 'normalise', 'normalise']) doc = addNode(doc, kinds.get(k)!, [0, 0]).doc;
  const a = connect(doc, kinds, ['load1', 'table'], ['normalise1', 'table']);
  if (!a.ok) throw new Error(a.reason);
  const b = connect(a.doc, kinds, ['normalise1', 'table'], ['normalise2', 'table']);
  if (!b.ok) throw new Error(b.reason);
  return b.doc;
}

describe('adding nodes', () => {
  it('names nodes after their kind with the smallest free number', () => {
    const doc = chain();
    expect(doc.nodes.map((n) => n.id)).toEqual(['load1', 'normalise1', 'normalise2']);
    expect(freshNodeId(removeNodes(doc, ['normalise1']), 'normalise')).toBe('normalise1');
  });
});

describe('connecting ports', () => {
  it('refuses a type mismatch with the engine\'s reason', () => {
    let doc = chain();
    doc = addNode(doc, kinds.get('lstm')!, [0, 0]).doc;
    expect(checkConnection(doc, kinds, ['normalise1', 'transform'], ['lstm1', 'sequences'])).toEqual({ ok: false, reason: 'a transform output cannot feed a sequences input' });
  });

  it('allows predictions into a table input, as canConnect says', () => {
    let doc = chain();
    doc = addNode(doc, kinds.get('lstm')!, [0, 0]).doc;
    expect(checkConnection(doc, kinds, ['lstm1', 'predictions'], ['normalise1', 'table'])).toEqual({ ok: true });
  });

  it('refuses a loop and a self-connection', () => {
    const doc = chain();
    expect(checkConnection(doc, kinds, ['normalise2', 'table'], ['normalise1', 'table'])).toEqual({ ok: false, reason: 'the connection would make a loop' });
    expect(checkConnection(doc, kinds, ['normalise1', 'table'], ['normalise1', 'table'])).toEqual({ ok: false, reason: 'a node cannot feed itself' });
  });

  it('refuses unknown ports by name', () => {
    expect(checkConnection(chain(), kinds, ['load1', 'nope'], ['normalise1', 'table'])).toEqual({ ok: false, reason: 'Load has no output "nope"' });
  });

  it('replaces the edge already feeding an input', () => {
    let doc = chain();
    doc = addNode(doc, kinds.get('load')!, [0, 0]).doc;
    const result = connect(doc, kinds, ['load2', 'table'], ['normalise1', 'table']);
    expect(result.ok && result.doc.edges).toEqual([
      { from: ['normalise1', 'table'], to: ['normalise2', 'table'] },
      { from: ['load2', 'table'], to: ['normalise1', 'table'] },
    ]);
  });
});

describe('editing', () => {
  it('removes nodes with their edges', () => {
    const doc = removeNodes(chain(), ['normalise1']);
    expect(doc.nodes.map((n) => n.id)).toEqual(['load1', 'normalise2']);
    expect(doc.edges).toEqual([]);
  });

  it('duplicates nodes with the edges among them, shifted, under fresh ids', () => {
    const { doc, ids } = duplicateNodes(chain(), ['normalise1', 'normalise2']);
    expect(ids).toEqual(['normalise3', 'normalise4']);
    expect(doc.edges.at(-1)).toEqual({ from: ['normalise3', 'table'], to: ['normalise4', 'table'] });
    expect(doc.nodes.at(-1)?.position).toEqual([40, 40]);
  });

  it('pastes a clipboard into another document', () => {
    const clip = copyNodes(chain(), ['load1']);
    const { doc, ids } = pasteNodes(blankDocument(), clip, [10, 0]);
    expect(ids).toEqual(['load1']);
    expect(doc.nodes[0]?.position).toEqual([10, 0]);
  });

  it('sets and resets params without touching the old document', () => {
    const before = chain();
    const after = setParam(before, 'normalise1', 'method', 'z-score');
    expect(after.nodes[1]?.params).toEqual({ method: 'z-score' });
    expect(before.nodes[1]?.params).toEqual({});
    expect(resetParam(after, 'normalise1', 'method').nodes[1]?.params).toEqual({});
  });

  it('moves only nodes whose position changed and keeps the same document otherwise', () => {
    const doc = chain();
    expect(moveNodes(doc, new Map([['load1', [0, 0]]]))).toBe(doc);
    expect(moveNodes(doc, new Map([['load1', [5, 6]]])).nodes[0]?.position).toEqual([5, 6]);
  });
});

describe('param helpers', () => {
  const param = { name: 'columns', kind: 'columns' as const, default: ['a'], meta: { showIf: { method: ['min-max'] } } };
  it('reads stored values, else defaults', () => {
    const node = chain().nodes[1]!;
    expect(paramValue(node, param)).toEqual(['a']);
    expect(paramValue({ ...node, params: { columns: ['b'] } }, param)).toEqual(['b']);
  });

  it('shows a field only when showIf matches', () => {
    expect(paramVisible(param, { method: 'min-max' })).toBe(true);
    expect(paramVisible(param, { method: 'z-score' })).toBe(false);
  });

  it('finds the input a column picker reads from', () => {
    expect(columnSourcePort(kinds.get('normalise')!, param)).toBe('table');
    expect(columnSourcePort(kinds.get('evaluate')!, param)).toBe('predictions');
    expect(columnSourcePort(kinds.get('normalise')!, { ...param, meta: { from: 'other' } })).toBe('other');
  });

  it('reads a file node\'s size cap from its maxMegabytes param (stored, else default), or none', () => {
    const reader: NodeKindDescription = { ...kinds.get('load')!, readsFile: true, params: [{ name: 'maxMegabytes', kind: 'number', default: 200, meta: {} }] };
    const node = chain().nodes[0]!;
    expect(fileSizeCap(node, reader)).toEqual({ megabytes: 200, bytes: 200 * 1024 * 1024 });
    expect(fileSizeCap({ ...node, params: { maxMegabytes: 1.5 } }, reader)).toEqual({ megabytes: 1.5, bytes: 1.5 * 1024 * 1024 });
    expect(fileSizeCap({ ...node, params: { maxMegabytes: 'lots' } }, reader)).toBeNull();
    expect(fileSizeCap(node, kinds.get('load'))).toBeNull();
    expect(fileSizeCap(node, undefined)).toBeNull();
  });
});
