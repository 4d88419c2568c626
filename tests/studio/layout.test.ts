import { describe, expect, it } from 'vitest';
import { autoLayout, defaultNodeSize } from '../../src/studio/layout.ts';

const node = (id: string) => ({ id, kind: 'x', version: 1, params: {}, position: [0, 0] as [number, number], note: '' });

describe('autoLayout', () => {
  it('places a chain left to right on one row', () => {
    const doc = { nodes: [node('a'), node('b'), node('c')], edges: [{ from: ['a', 't'] as [string, string], to: ['b', 't'] as [string, string] }, { from: ['b', 't'] as [string, string], to: ['c', 't'] as [string, string] }] };
    const pos = autoLayout(doc);
    const xs = ['a', 'b', 'c'].map((id) => pos.get(id)?.[0] ?? NaN);
    const ys = ['a', 'b', 'c'].map((id) => pos.get(id)?.[1] ?? NaN);
    expect(xs[1]! - xs[0]!).toBe(defaultNodeSize.width + 70);
    expect(xs[2]! - xs[1]!).toBe(defaultNodeSize.width + 70);
    expect(new Set(ys).size).toBe(1);
  });

  it('stacks two branches of one node without overlap', () => {
    const e = (f: string, t: string) => ({ from: [f, 'o'] as [string, string], to: [t, 'i'] as [string, string] });
    const pos = autoLayout({ nodes: [node('a'), node('b'), node('c')], edges: [e('a', 'b'), e('a', 'c')] });
    const yb = pos.get('b')?.[1] ?? NaN;
    const yc = pos.get('c')?.[1] ?? NaN;
    expect(Math.abs(yb - yc)).toBeGreaterThanOrEqual(defaultNodeSize.height);
    expect(pos.get('b')?.[0]).toBe(pos.get('c')?.[0]);
  });
});
