import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../src/engine/runner.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { doc, e, n } from './helpers.ts';
import { testRegistry } from './test-nodes.ts';

const engine = () => new Engine({ registry: testRegistry, host: createNodeHost() });
const states = (statuses: Record<string, { state: string }>) => Object.fromEntries(Object.entries(statuses).map(([id, s]) => [id, s.state]));

// s → a → b → c, and s → d (a side branch), plus t → combine(right)
const base = doc(
  [n('s', 'source'), n('a', 'add'), n('b', 'add'), n('c', 'add'), n('d', 'add'), n('t', 'source', { start: 10 }), n('m', 'combine')],
  [e('s.table', 'a.table'), e('a.table', 'b.table'), e('b.table', 'c.table'), e('s.table', 'd.table'), e('c.table', 'm.left'), e('t.table', 'm.right')],
);

function withParam(d: PipelineDocument, id: string, params: Record<string, unknown>): PipelineDocument {
  return { ...d, nodes: d.nodes.map((node) => (node.id === id ? { ...node, params: { ...node.params, ...params } } : node)) };
}

describe('the runner cache', () => {
  it('runs every node once, then nothing when nothing changed', async () => {
    const eng = engine();
    const first = await eng.run(base);
    expect(first.ok).toBe(true);
    expect(first.executed).toEqual(['s', 'a', 'b', 'c', 'd', 't', 'm']);
    const second = await eng.run(base);
    expect(second.executed).toEqual([]);
    expect(Object.values(second.statuses).every((s) => s.cached)).toBe(true);
  });

  const cases: { change: string; params: Record<string, unknown>; reran: string[] }[] = [
    { change: 'a', params: { amount: 2 }, reran: ['a', 'b', 'c', 'm'] },
    { change: 'c', params: { amount: 3 }, reran: ['c', 'm'] },
    { change: 'd', params: { amount: 4 }, reran: ['d'] },
    { change: 's', params: { rows: 4 }, reran: ['s', 'a', 'b', 'c', 'd', 'm'] },
    { change: 't', params: { start: 11 }, reran: ['t', 'm'] },
    { change: 'b', params: { note: 'same maths, new text' }, reran: ['b', 'c', 'm'] },
  ];
  for (const c of cases) {
    it(`re-runs exactly ${c.reran.join(', ')} when a param of ${c.change} changes`, async () => {
      const eng = engine();
      await eng.run(base);
      const changed = withParam(base, c.change, c.params);
      expect(states(eng.statuses(changed))).toEqual(
        Object.fromEntries(base.nodes.map((node) => [node.id, c.reran.includes(node.id) ? 'stale' : 'done'])),
      );
      const report = await eng.run(changed);
      expect(report.executed).toEqual(c.reran);
    });
  }

  it('says which nodes an edit changed by their hashes: the node and its descendants, new nodes, the target of a removed edge, nothing for a move', () => {
    const eng = engine();
    expect(eng.changedNodes(base, withParam(base, 'a', { amount: 2 }))).toEqual(['a', 'b', 'c', 'm']);
    expect(eng.changedNodes(base, withParam(base, 'a', { amount: 1 }))).toEqual([]);
    const moved = { ...base, nodes: base.nodes.map((node) => (node.id === 'b' ? { ...node, position: [99, 99] satisfies [number, number] } : node)) };
    expect(eng.changedNodes(base, moved)).toEqual([]);
    expect(eng.changedNodes(base, { ...base, nodes: [...base.nodes, n('x', 'source')] })).toEqual(['x']);
    expect(eng.changedNodes(base, { ...base, edges: base.edges.filter((edge) => edge.to[0] !== 'd') })).toEqual(['d']);
  });

  it('sorts once per run and still runs the part of a document outside a cycle, in order', async () => {
    const cyclic = doc([n('s', 'source'), n('a', 'add'), n('p', 'add'), n('q', 'add'), n('r', 'add')], [e('s.table', 'a.table'), e('p.table', 'q.table'), e('q.table', 'p.table'), e('q.table', 'r.table')]);
    const report = await engine().run(cyclic);
    expect(report.executed).toEqual(['s', 'a']);
    expect(states(report.statuses)).toEqual({ s: 'done', a: 'done', p: 'error', q: 'error', r: 'blocked' });
  });

  it('treats a param set to its default as unchanged', async () => {
    const eng = engine();
    await eng.run(base);
    expect((await eng.run(withParam(base, 'a', { amount: 1 }))).executed).toEqual([]);
  });

  it('re-runs everything when the seed changes (randomness depends on it)', async () => {
    const eng = engine();
    await eng.run(base);
    expect((await eng.run({ ...base, seed: 7 })).executed).toEqual(['s', 'a', 'b', 'c', 'd', 't', 'm']);
  });

  it('runs only a target and its ancestors when asked to run to a node', async () => {
    const report = await engine().run(base, { targets: ['b'] });
    expect(report.executed).toEqual(['s', 'a', 'b']);
    expect(states(report.statuses)).toEqual({ s: 'done', a: 'done', b: 'done', c: 'idle', d: 'idle', t: 'idle', m: 'idle' });
  });

  it('computes the right numbers through the chain', async () => {
    const eng = engine();
    await eng.run(base);
    const out = eng.outputs(base, 'm')?.table;
    expect(isTable(out) ? Array.from(out.array('x')) : null).toEqual([14, 16, 18]);
  });
});

describe('failures', () => {
  const failing = doc(
    [n('s', 'source'), n('f', 'failing'), n('after', 'add'), n('other', 'add')],
    [e('s.table', 'f.table'), e('f.table', 'after.table'), e('s.table', 'other.table')],
  );

  it('blocks the descendants of a failing node and finishes the others', async () => {
    const report = await engine().run(failing);
    expect(report.ok).toBe(false);
    expect(states(report.statuses)).toEqual({ s: 'done', f: 'error', after: 'blocked', other: 'done' });
    expect(report.statuses.f?.issues).toEqual([
      { tag: 'InsightIssue', code: 'failing.asked', severity: 'error', message: 'Asked to fail with 3 rows.', nodeId: 'f', param: 'fail', values: { rows: 3 } },
    ]);
    expect(report.statuses.after?.issues[0]?.message).toBe('Not run: upstream node "f" did not finish.');
  });

  it('turns an unexpected exception into a serialisable error on the node', async () => {
    const report = await engine().run(withParam(failing, 'f', { crash: true }));
    expect(report.statuses.f?.state).toBe('error');
    expect(report.statuses.f?.issues[0]).toEqual({ tag: 'InsightIssue', code: 'node.exception', severity: 'error', message: 'Unexpected failure: boom', nodeId: 'f', values: { reason: 'boom' } });
    expect(JSON.parse(JSON.stringify(report.statuses))).toEqual(report.statuses);
  });

  it('reports an unconnected required input on the node', async () => {
    const report = await engine().run(doc([n('a', 'add')]));
    expect(report.statuses.a?.issues[0]?.message).toBe('Input "table" of node "a" (Add) is not connected.');
  });

  it('marks invalid params as an error on that node without running it', async () => {
    const report = await engine().run(doc([n('s', 'source', { rows: -5 }), n('a', 'add')], [e('s.table', 'a.table')]));
    expect(states(report.statuses)).toEqual({ s: 'error', a: 'blocked' });
    expect(report.executed).toEqual([]);
  });

  it('errors the nodes of a cycle and blocks what follows, running the rest', async () => {
    const d = doc([n('s', 'source'), n('a', 'add'), n('b', 'add'), n('c', 'add')], [e('a.table', 'b.table'), e('b.table', 'a.table'), e('b.table', 'c.table')]);
    const report = await engine().run(d);
    expect(states(report.statuses)).toEqual({ s: 'done', a: 'error', b: 'error', c: 'blocked' });
  });

  it('shows a declared warning and keeps the result', async () => {
    const report = await engine().run(doc([n('s', 'source'), n('a', 'add', { amount: 500 })], [e('s.table', 'a.table')]));
    expect(report.statuses.a?.state).toBe('warning');
    expect(report.statuses.a?.issues.map((i) => [i.code, i.message])).toEqual([['add.big', 'Amount 500 is large.']]);
    expect(report.ok).toBe(true);
  });
});

describe('progress and cancel', () => {
  const slowDoc = doc([n('s', 'source'), n('w', 'slow', { steps: 50 }), n('r', 'report'), n('x', 'add')], [e('s.table', 'w.table'), e('w.metrics', 'r.metrics'), e('s.table', 'x.table')]);

  it('streams progress and node events', async () => {
    const events: EngineEvent[] = [];
    await engine().run(doc([n('s', 'source'), n('w', 'slow', { steps: 3 })], [e('s.table', 'w.table')]), { onEvent: (ev) => events.push(ev) });
    expect(events.filter((ev) => ev.type === 'progress').map((ev) => (ev.type === 'progress' ? [ev.fraction, ev.detail] : null))).toEqual([
      [1 / 3, 'step 1'],
      [2 / 3, 'step 2'],
      [1, 'step 3'],
    ]);
    expect(events.filter((ev) => ev.type === 'node-event').length).toBe(3);
    expect(events.filter((ev) => ev.type === 'status' && ev.nodeId === 'w').map((ev) => (ev.type === 'status' ? ev.status.state : ''))).toEqual(['running', 'done']);
  });

  it('stops the running node on cancel and marks its descendants cancelled', async () => {
    const controller = new AbortController();
    const eng = engine();
    const report = await eng.run(slowDoc, {
      signal: controller.signal,
      onEvent: (ev) => {
        if (ev.type === 'progress' && ev.nodeId === 'w' && ev.fraction >= 0.2) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(states(report.statuses)).toEqual({ s: 'done', w: 'cancelled', r: 'cancelled', x: 'idle' });
    // The pipeline stays usable: the next run resumes from the cache.
    const again = await eng.run(slowDoc);
    expect(again.executed).toEqual(['w', 'r', 'x']);
    expect(again.ok).toBe(true);
  });

  it('gives each node a seeded random stream that depends on the seed and the node id', async () => {
    const value = async (d: PipelineDocument, id: string) => {
      const eng = engine();
      await eng.run(d);
      const metrics = eng.outputs(d, id)?.metrics;
      return metrics && typeof metrics === 'object' && 'detail' in metrics ? metrics.detail : null;
    };
    const d1 = doc([n('s', 'source'), n('w', 'slow', { steps: 1 })], [e('s.table', 'w.table')]);
    expect(await value(d1, 'w')).toEqual(await value(d1, 'w'));
    expect(await value(d1, 'w')).not.toEqual(await value({ ...d1, seed: 43 }, 'w'));
  });
});

describe('releasing outputs in a one-shot run (the CLI)', () => {
  it('hands every finished node its outputs once, in run order, and keeps each only while a node still to run reads it', async () => {
    const eng = engine();
    const held: Record<string, string[]> = {};
    const order = ['s', 'a', 'b', 'c', 'd', 't', 'm'];
    const report = await eng.run(base, {
      release: true,
      onOutputs: (id, outputs) => {
        expect(Object.keys(outputs)).toEqual(['table']);
        held[id] = order.filter((other) => eng.lastOutputs(other) !== undefined);
      },
    });
    expect(report.ok).toBe(true);
    // Order s, a, b, c, d, t, m. When a node is handed on, it and its inputs are held; an input
    // goes right after its last reader is handed on (s after d, a after b), and c waits for m.
    expect(held).toEqual({ s: ['s'], a: ['s', 'a'], b: ['s', 'a', 'b'], c: ['s', 'b', 'c'], d: ['s', 'c', 'd'], t: ['c', 't'], m: ['c', 't', 'm'] });
    expect(order.filter((id) => eng.lastOutputs(id) !== undefined)).toEqual([]);
  });

  it('gives the same numbers with release as without, and runs every node again afterwards', async () => {
    const eng = engine();
    let released: unknown;
    await eng.run(base, {
      release: true,
      onOutputs: (id, outputs) => {
        if (id === 'm') released = outputs.table;
      },
    });
    expect(isTable(released) ? Array.from(released.array('x')) : null).toEqual([14, 16, 18]);
    const again = await eng.run(base);
    expect(again.executed.length).toBe(base.nodes.length);
  });

  it("asks the host to collect at each node boundary, after that node's releases, and only with release", async () => {
    const seen: string[][] = [];
    const order = ['s', 'a', 'b', 'c', 'd', 't', 'm'];
    let eng: Engine | undefined;
    const host = createNodeHost({ collect: () => void seen.push(order.filter((id) => eng?.lastOutputs(id) !== undefined)) });
    eng = new Engine({ registry: testRegistry, host });
    await eng.run(base, { release: true });
    // One call per node, each after what that node's settling released went (s after d, a after b).
    expect(seen).toEqual([['s'], ['s', 'a'], ['s', 'b'], ['s', 'c'], ['c'], ['c', 't'], []]);
    seen.length = 0;
    const kept = await eng.run(base);
    expect(kept.executed.length).toBe(base.nodes.length);
    expect(seen).toEqual([]);
  });

  it('hands on nothing for a failed or blocked node, and still releases what they read', async () => {
    const failing = doc(
      [n('s', 'source'), n('f', 'failing'), n('after', 'add'), n('other', 'add')],
      [e('s.table', 'f.table'), e('f.table', 'after.table'), e('s.table', 'other.table')],
    );
    const eng = engine();
    const handed: string[] = [];
    const report = await eng.run(failing, { release: true, onOutputs: (id) => void handed.push(id) });
    expect(report.ok).toBe(false);
    expect(handed).toEqual(['s', 'other']);
    expect(['s', 'f', 'after', 'other'].filter((id) => eng.lastOutputs(id) !== undefined)).toEqual([]);
  });
});
