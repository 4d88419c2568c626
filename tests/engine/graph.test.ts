import { describe, expect, it } from 'vitest';
import { ancestors, descendants, topologicalOrder } from '../../src/engine/graph.ts';
import { doc, e, n } from './helpers.ts';

const ids = (...names: string[]) => names.map((id) => n(id, 'add'));

describe('topological order', () => {
  const cases: { name: string; nodes: string[]; edges: [string, string][]; order?: string[]; cycle?: string[] }[] = [
    { name: 'an empty pipeline', nodes: [], edges: [], order: [] },
    { name: 'a chain', nodes: ['c', 'b', 'a'], edges: [['a.table', 'b.table'], ['b.table', 'c.table']], order: ['a', 'b', 'c'] },
    { name: 'a diamond keeps document order among peers', nodes: ['a', 'c', 'b', 'd'], edges: [['a.t', 'b.t'], ['a.t', 'c.u'], ['b.t', 'd.l'], ['c.t', 'd.r']], order: ['a', 'c', 'b', 'd'] },
    { name: 'disconnected nodes', nodes: ['x', 'y'], edges: [], order: ['x', 'y'] },
    { name: 'two edges between the same nodes', nodes: ['a', 'b'], edges: [['a.t', 'b.l'], ['a.t', 'b.r']], order: ['a', 'b'] },
    { name: 'a self loop', nodes: ['a'], edges: [['a.t', 'a.u']], cycle: ['a'] },
    { name: 'a three-node cycle', nodes: ['s', 'a', 'b', 'c'], edges: [['s.t', 'a.t'], ['a.t', 'b.t'], ['b.t', 'c.t'], ['c.t', 'a.u']], cycle: ['a', 'b', 'c'] },
  ];
  for (const c of cases) {
    it(`handles ${c.name}`, () => {
      const result = topologicalOrder(doc(ids(...c.nodes), c.edges.map(([a, b]) => e(a, b))));
      if (c.order) expect(result).toEqual({ ok: true, order: c.order });
      else expect(result).toEqual({ ok: false, cycle: c.cycle });
    });
  }
});

describe('reachability', () => {
  const d = doc(ids('a', 'b', 'c', 'd', 'e'), [e('a.t', 'b.t'), e('b.t', 'c.t'), e('a.t', 'd.t')]);
  it('finds every descendant and no other node', () => {
    expect([...descendants(d, ['b'])].sort()).toEqual(['c']);
    expect([...descendants(d, ['a'])].sort()).toEqual(['b', 'c', 'd']);
    expect([...descendants(d, ['e'])]).toEqual([]);
  });
  it('finds every ancestor', () => {
    expect([...ancestors(d, ['c'])].sort()).toEqual(['a', 'b']);
    expect([...ancestors(d, ['a'])]).toEqual([]);
  });
});
