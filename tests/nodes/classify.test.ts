import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { isTable } from '../../src/engine/port-codec.ts';
import { stratifiedKFoldByKey } from '../../src/ml/cross-validate.ts';
import { createRng } from '../../src/ml/random.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { Engine, type EngineEvent } from '../../src/engine/runner.ts';
import { rowObjects, runNode, tableFeed, type Feed } from '../data/node-harness.ts';

/** 400 customers: churn driven by contract and tenure; some tenure missing; an id. */
function customers(n = 400): ColumnTable {
  const rng = createRng(5);
  const contract: string[] = [];
  const tenure: (number | null)[] = [];
  const churn: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = ['Month-to-month', 'One year', 'Two year'][rng.int(3)]!;
    const t = Math.floor(rng.next() * 72);
    const risk = (c === 'Month-to-month' ? 1.5 : -1) - t / 24 + rng.normal() * 0.8;
    contract.push(c);
    tenure.push(rng.next() < 0.1 ? null : t);
    churn.push(risk > 0 ? 'Yes' : 'No');
  }
  return aq.table({ customerID: Array.from({ length: n }, (_, i) => `C${1000 + i}`), contract, tenure, Churn: churn });
}

function tableOf(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`no ${port} table`);
  return value;
}

describe('classify node', () => {
  for (const learner of ['gbdt', 'logistic']) {
    it(`scores every customer out of fold with ${learner} (AUC above 0.85), on the LSTM's predictions columns`, async () => {
      const run = await runNode('classify', { label: 'Churn', learner, folds: 4 }, { table: tableFeed(customers()) });
      expect(run.codes).toEqual([]);
      const p = tableOf(run.outputs, 'predictions');
      expect(p.columnNames()).toEqual(['id', 'score', 'label', 'fold']);
      expect(p.numRows()).toBe(400);
      const rows = rowObjects(p);
      expect(rows[0]!.id).toBe('C1000');
      expect(new Set(rows.map((r) => r.fold))).toEqual(new Set([0, 1, 2, 3]));
      expect(typeof run.status.summary).toBe('string');
      const auc = Number(/AUC (\d\.\d+)/.exec(run.status.summary ?? '')?.[1]);
      expect(auc).toBeGreaterThan(0.85);
      const importance = rowObjects(tableOf(run.outputs, 'importance'));
      // Both learners put the contract or tenure first; customerID is never a feature.
      expect(['contract', 'tenure']).toContain(importance[0]!.column);
      expect(importance.some((r) => r.column === 'customerID')).toBe(false);
    });
  }

  it('uses the stratified k-fold of the LSTM: drawn in customer-id order from the pipeline seed', async () => {
    const t = customers();
    const run = await runNode('classify', { label: 'Churn', learner: 'logistic', folds: 5 }, { table: tableFeed(t) }, {}, 7);
    const folds = Array.from(tableOf(run.outputs, 'predictions').array('fold'));
    const labels = Float32Array.from(t.array('Churn'), (v) => (v === 'Yes' ? 1 : 0));
    expect(folds).toEqual(Array.from(stratifiedKFoldByKey(labels, Array.from(t.array('customerID'), String), 5, 7)));
  });

  it('applies a connected model to a new table without training', async () => {
    const fit = await runNode('classify', { label: 'Churn', learner: 'gbdt', folds: 3 }, { table: tableFeed(customers()) });
    const model: Feed = { type: 'model', value: fit.outputs?.model };
    const fresh = customers(50).select('customerID', 'contract', 'tenure');
    const run = await runNode('classify', { label: '' }, { table: tableFeed(fresh), model });
    expect(run.codes).toEqual([]);
    const p = rowObjects(tableOf(run.outputs, 'predictions'));
    expect(p.length).toBe(50);
    expect(p.every((r) => r.fold === -1 && r.label === null && typeof r.score === 'number')).toBe(true);
  });

  it('asks for the label column when none is set, offering the two-valued columns, label-like names first', async () => {
    const t = customers().assign(aq.table({ paperless: Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 'Yes' : 'No')) })).select('customerID', 'paperless', 'contract', 'tenure', 'Churn');
    const run = await runNode('classify', {}, { table: tableFeed(t) });
    expect(run.codes).toEqual(['classify.noLabel']);
    expect(run.status.issues[0]!.message).toBe('Choose the label column: the yes/no column to predict (columns with two values here: "Churn, paperless").');
    expect(run.status.issues[0]!.param).toBe('label');
  });

  it('names the label column and its values when it has three', async () => {
    const t = customers().derive({ Churn: (d: { contract: string }) => d.contract });
    const run = await runNode('classify', { label: 'Churn' }, { table: tableFeed(t) });
    expect(run.status.issues.map((i) => i.message)).toEqual(['The label column "Churn" has 3 distinct values ("One year, Month-to-month, Two year"); it needs exactly two.']);
  });

  it('refuses folds without positives, naming the counts', async () => {
    const t = customers().select('customerID', 'contract', 'tenure').assign(aq.table({ Churn: Array.from({ length: 400 }, (_, i) => (i < 3 ? 'Yes' : 'No')) }));
    const run = await runNode('classify', { label: 'Churn', folds: 5 }, { table: tableFeed(t) });
    expect(run.codes).toEqual(['classify.tooFewForFolds']);
    expect(run.status.issues[0]!.message).toBe('5-fold validation puts positives in every fold only with at least 5 customers of each class; column "Churn" has 3 "Yes" and 397 other.');
  });

  it('leaves out an id column named as a feature, an all-missing and an id-like column, saying so', async () => {
    const t = customers().assign(aq.table({ empty: new Array(400).fill(null), email: Array.from({ length: 400 }, (_, i) => `u${i}@x.org`) }));
    const run = await runNode('classify', { label: 'Churn', id: 'customerID', features: ['customerID', 'contract', 'tenure', 'empty', 'email'], learner: 'logistic' }, { table: tableFeed(t) });
    expect(run.codes).toEqual(['classify.idAsFeature', 'classify.allMissing', 'classify.idLike']);
    expect(run.status.issues.map((i) => i.message)).toEqual([
      'Column "customerID" is the id column; it was left out of the features.',
      'Column "empty" has no values; it was left out of the features.',
      'Column "email" looks like an id (400 distinct values); it was left out of the features.',
    ]);
  });

  it('refuses 10,000 feature columns with a declared message', async () => {
    const cols: Record<string, number[]> = { Churn: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] };
    for (let j = 0; j < 10000; j++) cols[`x${j}`] = cols.Churn!.map((v, i) => v + i * j);
    const run = await runNode('classify', { label: 'Churn', folds: 2 }, { table: tableFeed(aq.table(cols)) });
    expect(run.codes).toEqual(['classify.tooManyFeatures']);
    expect(run.status.issues[0]!.message).toBe('10000 feature columns ("x0" … "x9999") is more than the 2000 this node takes; choose at most 2000 in parameter "features".');
  });

  it('takes a one-row table with a declared message', async () => {
    const run = await runNode('classify', { label: 'Churn' }, { table: tableFeed(customers().slice(0, 1)) });
    expect(run.codes).toEqual(['classify.labelOneValue']);
    expect(run.status.issues[0]!.message).toBe('Every labelled row of column "Churn" is "No"; a label needs two values (both outcomes) to learn from.');
  });

  for (const learner of ['gbdt', 'logistic']) {
    it(`reports progress per ${learner === 'gbdt' ? 'tree' : 'Newton iteration'} and stops at the next one when the run is cancelled`, async () => {
      const feed = { kind: 'feed-table', version: 1, label: 'Feed', description: '', category: 'data' as const, inputs: {}, outputs: { out: 'table' as const }, params: {}, messages: {}, run: async () => ({ out: customers() }) };
      const doc: PipelineDocument = {
        format: 'insight-pipeline', version: 1, name: 'cancel', description: '', seed: 42, notes: [],
        nodes: [
          { id: 'feed', kind: 'feed-table', version: 1, params: {}, position: [0, 0], note: '' },
          { id: 'subject', kind: 'classify', version: 1, params: { label: 'Churn', learner, folds: 4 }, position: [0, 0], note: '' },
        ],
        edges: [{ from: ['feed', 'out'], to: ['subject', 'table'] }],
      };
      const engine = new Engine({ registry: { ...nodeRegistry, 'feed-table': feed }, host: createNodeHost() });
      const controller = new AbortController();
      const details: string[] = [];
      let afterAbort = 0;
      const report = await engine.run(doc, {
        signal: controller.signal,
        onEvent: (e: EngineEvent) => {
          if (e.type !== 'progress' || e.nodeId !== 'subject') return;
          if (controller.signal.aborted) afterAbort++;
          details.push(e.detail);
          if (details.length === 3) controller.abort();
        },
      });
      expect(report.statuses.subject?.state).toBe('cancelled');
      expect(details.slice(0, 2)).toEqual(['fold 1/4: encoding', 'fold 1/4: encoded']);
      expect(details[2]).toMatch(learner === 'gbdt' ? /^fold 1\/4: tree 1\/100$/ : /^fold 1\/4: Newton iteration 1, largest gradient \d/);
      // The node checks the signal right after each progress report: nothing more is reported.
      expect(afterAbort).toBe(0);
    });
  }
});
