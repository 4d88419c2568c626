/**
 * The shared degenerate-input suite (STYLE.md point 8): every registered node kind is run
 * against an empty table, zero columns, one row, an all-null column, NaN/Infinity, a constant
 * column, a wrong type and a missing column named in params. Each must give a result or a
 * declared message — never an uncaught exception (`node.exception`), never a silent NaN.
 */
import { describe, expect, it } from 'vitest';
import { isTable } from '../../src/engine/port-codec.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { Engine } from '../../src/engine/runner.ts';
import { nodeKinds } from '../../nodes/index.ts';
import { sequence } from '../../nodes/sequence.ts';
import { cases, degenerateSuite, harness } from './degenerate-suite.ts';

degenerateSuite(nodeKinds);

// The sequence node's default dates are empty, so above every case stops at "set a cutoff"; with
// dates inside the test table's span the same cases reach its sequences and its totals table.
const dated: AnyNodeSpec = { ...sequence, params: { ...sequence.params, cutoff: { ...sequence.params.cutoff, default: '2024-02-10' }, horizonEnd: { ...sequence.params.horizonEnd, default: '2024-03-31' } } };
degenerateSuite([dated]);

describe('the sequence node\'s totals with degenerate input', () => {
  for (const c of cases) {
    it(`holds the sequences' customers and labels, all numbers finite, for ${c.name} (or the node stops with a declared message)`, async () => {
      const { registry, doc } = harness(dated, c.table(), c.missingColumn === true);
      const engine = new Engine({ registry, host: createNodeHost({ backend: () => 'cpu' }) });
      const status = (await engine.run(doc)).statuses.subject;
      expect(status?.issues.filter((i) => i.code === 'node.exception')).toEqual([]);
      if (status?.state === 'error') return expect(status.issues[0]?.code).toMatch(/^(sequence|column)\./);
      const out = engine.outputs(doc, 'subject');
      const totals = out?.totals;
      const seq = out?.sequences;
      if (!isTable(totals) || !seq || typeof seq !== 'object' || !('ids' in seq) || !('labels' in seq) || !(seq.labels instanceof Float32Array)) throw new Error('no totals or sequences');
      expect(Array.from(totals.array('customer_id'))).toEqual(seq.ids);
      expect(Array.from(totals.array('label'), (v) => (v === null ? Number.NaN : Number(v)))).toEqual(Array.from(seq.labels));
      const numbers = totals.columnNames().filter((n) => n !== 'customer_id' && n !== 'label').flatMap((n) => Array.from(totals.array(n)));
      expect(numbers.filter((v) => typeof v !== 'number' || !Number.isFinite(v))).toEqual([]);
    });
  }
});

describe('the degenerate suite itself', () => {
  it('runs each registered kind once (kinds are unique) and keeps its eight cases', () => {
    expect(new Set(nodeKinds.map((k) => k.kind)).size).toBe(nodeKinds.length);
    expect(cases.map((c) => c.name)).toEqual([
      'an empty table',
      'zero columns',
      'one row',
      'an all-null column',
      'NaN and Infinity',
      'a constant column',
      'a wrong type',
      'a missing column named in params',
    ]);
  });
});
