import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import type { Sequences } from '../../src/engine/ports.ts';
import { runNode, table } from './intent-harness.ts';

const rows = aq.table({
  customer_id: ['a', 'a', 'b', 'b', 'c'],
  timestamp: ['2024-01-10 10:00:00', '2024-02-19 23:30:00', '2024-01-12 10:00:00', '2024-02-20 00:00:00', '2024-01-15 08:00:00'],
});
const base = { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 3, cutoff: '2024-01-22' };

function labels(outputs: Record<string, unknown> | undefined): number[] {
  const s = outputs?.sequences;
  if (!s || typeof s !== 'object' || !('labels' in s)) throw new Error('no sequences output');
  return Array.from((s as Sequences).labels);
}

describe('the label window of the sequence node', () => {
  it('includes the named horizon end day and nothing after it', async () => {
    const run = await runNode('sequence', { ...base, horizonEnd: '2024-02-19' }, { table: table(rows) });
    // a buys at 23:30 on the end day (counted); b at midnight after it (not counted).
    expect(labels(run.outputs)).toEqual([1, 0, 0]);
    expect(run.status.issues.map((i) => i.code)).toContain('sequence.rowsAfterHorizon');
  });

  it('says in the inspector help which days are included', () => {
    const params = nodeRegistry.sequence?.params ?? {};
    expect(params.horizonEnd?.meta.help).toBe('Last day of the label window (this day is included): a purchase from the cutoff through this day labels 1.');
    expect(params.cutoff?.meta.help).toBe('First day of the label window; the observed window ends the day before (this day is not included in the sequences).');
  });

  it('migrates a version 1 document, whose horizon end was exclusive, to the day before so its labels do not change', async () => {
    const v1 = { format: 'insight-pipeline', version: 1, name: 'old', seed: 1, nodes: [{ id: 's', kind: 'sequence', version: 1, params: { ...base, horizonEnd: '2024-02-20' }, position: [0, 0] }], edges: [] };
    const loaded = loadPipeline(v1, nodeRegistry);
    if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
    const node = loaded.document.nodes[0];
    expect([node?.version, node?.params.horizonEnd]).toEqual([2, '2024-02-19']);
    // v1 semantics: [cutoff, 2024-02-20) — a in, b (00:00 on the 20th) out; the same as v2 through the 19th.
    const run = await runNode('sequence', { ...base, horizonEnd: node?.params.horizonEnd }, { table: table(rows) });
    expect(labels(run.outputs)).toEqual([1, 0, 0]);
  });

  it('keeps a version 1 document without a horizon end as it was', () => {
    const v1 = { format: 'insight-pipeline', version: 1, name: 'old', seed: 1, nodes: [{ id: 's', kind: 'sequence', version: 1, params: { ...base, labelSource: 'none' }, position: [0, 0] }], edges: [] };
    const loaded = loadPipeline(v1, nodeRegistry);
    expect(loaded.ok && loaded.document.nodes[0]?.params).toEqual({ ...base, labelSource: 'none' });
  });
});
