import '@tensorflow/tfjs-backend-wasm';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import type { Sequences } from '../../src/engine/ports.ts';
import { stratifiedKFoldByKey } from '../../src/ml/cross-validate.ts';
import { createRng } from '../../src/ml/random.ts';
import { runNode, table, type NodeRun } from './intent-harness.ts';

// 60 customers, a third of them positive, with a feature that carries the label.
const rng = createRng(3);
const ids = Array.from({ length: 60 }, (_, i) => `cust-${String(i).padStart(2, '0')}`);
const labels = ids.map((_, i) => (i % 3 === 0 ? 1 : 0));
const feature = labels.map((y) => y + rng.normal());

function foldById(run: NodeRun): Map<string, number> {
  const p = run.outputs?.predictions;
  if (!(p instanceof aq.ColumnTable)) throw new Error(`no predictions: ${JSON.stringify(run.status.issues)}`);
  const id = p.array('id');
  const fold = p.array('fold');
  return new Map(Array.from(id, (v, i) => [String(v), Number(fold[i])]));
}

describe('the folds of the lstm and classify nodes', () => {
  it('are the same for the same customers and labels from the same pipeline seed, whatever the row order', async () => {
    const sequences: Sequences = {
      x: Float32Array.from(feature),
      n: 60,
      steps: 1,
      features: 1,
      labels: Float32Array.from(labels),
      ids,
      featureNames: ['f'],
      stepLabels: ['w1'],
      meta: { scaling: 'standard' },
    };
    // The customer table lists the same customers backwards.
    const order = ids.map((_, i) => 59 - i);
    const customers = aq.table({ customer_id: order.map((i) => ids[i]), y: order.map((i) => (labels[i] === 1 ? 'Yes' : 'No')), f: order.map((i) => feature[i]) });
    const lstm = await runNode('lstm', { units: 2, epochs: 1, folds: 5 }, { sequences: { type: 'sequences', value: sequences } }, { seed: 41, backend: 'wasm' });
    const classify = await runNode('classify', { label: 'y', id: 'customer_id', learner: 'logistic', folds: 5 }, { table: table(customers) }, { seed: 41 });
    const a = foldById(lstm);
    const b = foldById(classify);
    expect(a.size).toBe(60);
    expect(ids.map((id) => b.get(id))).toEqual(ids.map((id) => a.get(id)));
    // Both are the pipeline seed's stratified split in id order.
    expect(ids.map((id) => a.get(id))).toEqual(Array.from(stratifiedKFoldByKey(labels, ids, 5, 41)));
    // A different pipeline seed moves customers between folds.
    const other = foldById(await runNode('classify', { label: 'y', id: 'customer_id', learner: 'logistic', folds: 5 }, { table: table(customers) }, { seed: 42 }));
    expect(ids.some((id) => other.get(id) !== b.get(id))).toBe(true);
  });
});
