/**
 * Quality check of the segment node (issue 6): on the committed generated sample
 * (sample-data/customer-insight, 1,000 customers in six planted archetypes, 1% dirt), the
 * pipeline load → clean → features → normalise → segment finds segments that match the
 * archetypes in truth.csv with an adjusted Rand index ≥ 0.8 (the ARI kernel, sklearn's
 * adjusted_rand_score). truth.csv is read by this test only, never by the pipeline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { table as makeTable, type ColumnTable } from 'arquero';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import { Engine } from '../../src/engine/runner.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { adjustedRandIndex } from '../../src/ml/cluster-metrics.ts';
import { strings, numbers, values, runNode } from '../nodes/decision-harness.ts';
import { segment } from '../../nodes/segment.ts';

const sampleDir = fileURLToPath(new URL('../../sample-data/customer-insight/', import.meta.url));
const needed = ['transactions.csv', 'products.csv', 'truth.csv'].filter((f) => !existsSync(`${sampleDir}${f}`));
const kinds = ['load', 'clean', 'features', 'normalise', 'segment'].filter((k) => nodeRegistry[k] === undefined);
const ready = needed.length === 0 && kinds.length === 0;
const why = needed.length > 0 ? `sample files missing: ${needed.join(', ')}` : `node kinds not registered yet: ${kinds.join(', ')}`;

type DocNode = PipelineDocument['nodes'][number];
const node = (id: string, kind: string, params: Record<string, unknown>, x: number): DocNode => ({ id, kind, version: 1, params, position: [x, 0], note: '' });

/** load → clean → features (+ products) in the shape of the studio's own pipeline. */
function featurePipeline(): PipelineDocument {
  return {
    format: 'insight-pipeline',
    version: 1,
    name: 'segments quality',
    description: '',
    seed: 42,
    nodes: [
      node('tx', 'load', { source: 'sample', sample: 'customer-insight/transactions.csv' }, 0),
      node('products', 'load', { source: 'sample', sample: 'customer-insight/products.csv' }, 0),
      node('clean', 'clean', {
        // The sample's 1% dirt includes malformed numbers ("1,234.50"); read them as numbers.
        parseNumbers: ['quantity', 'unit_price'],
        conditions: [
          { column: 'quantity', op: '>', value: 0 },
          { column: 'unit_price', op: '>', value: 0 },
        ],
        missing: { customer_id: 'drop-row', invoice_id: 'drop-row', timestamp: 'drop-row', product_id: 'drop-row', quantity: 'drop-row', unit_price: 'drop-row' },
      }, 200),
      node('features', 'features', { customer: 'customer_id', invoice: 'invoice_id', time: 'timestamp', quantity: 'quantity', price: 'unit_price', product: 'product_id', category: 'category' }, 400),
    ],
    edges: [
      { from: ['tx', 'table'], to: ['clean', 'table'] },
      { from: ['clean', 'table'], to: ['features', 'table'] },
      { from: ['products', 'table'], to: ['features', 'products'] },
    ],
    notes: [],
  };
}

function table(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`No table on port ${port}.`);
  return value;
}

/** The segment node's assignments table and chosen k, read from its outputs. */
function assignmentsOf(outputs: Record<string, unknown> | undefined): { assignments: ColumnTable; k: number } {
  const segs = outputs?.segments;
  if (typeof segs !== 'object' || segs === null || !('assignments' in segs) || !('detail' in segs)) throw new Error('No segments output.');
  const { assignments, detail } = segs;
  if (!isTable(assignments) || typeof detail !== 'object' || detail === null || !('k' in detail) || typeof detail.k !== 'number') throw new Error('Malformed segments output.');
  return { assignments, k: detail.k };
}

describe.skipIf(!ready)(`segments vs planted archetypes (${ready ? sampleDir : `skipped: ${why}`})`, () => {
  it('load → clean → features → normalise → segment reaches ARI ≥ 0.8 against truth.csv', async () => {
    const engine = new Engine({ registry: nodeRegistry, host: createNodeHost() });
    const base = featurePipeline();
    const first = await engine.run(base);
    expect(first.ok, JSON.stringify(first.statuses.features?.issues)).toBe(true);
    const features = table(engine.outputs(base, 'features'), 'table');
    const featureColumns = features.columnNames().filter((c) => c !== 'customer_id');
    const doc: PipelineDocument = {
      ...base,
      nodes: [
        ...base.nodes,
        node('normalise', 'normalise', { columns: featureColumns, method: 'min-max' }, 600),
        node('segment', 'segment', { idColumn: 'customer_id', chooseK: 'fixed', k: 6 }, 800),
        node('auto', 'segment', { idColumn: 'customer_id', chooseK: 'silhouette', kMin: 2, kMax: 10 }, 800),
      ],
      edges: [
        ...base.edges,
        { from: ['features', 'table'], to: ['normalise', 'table'] },
        { from: ['normalise', 'table'], to: ['segment', 'table'] },
        { from: ['features', 'table'], to: ['segment', 'original'] },
        { from: ['normalise', 'table'], to: ['auto', 'table'] },
      ],
    };
    const report = await engine.run(doc);
    expect(report.ok, JSON.stringify(report.statuses.segment?.issues)).toBe(true);

    const truthRows = readFileSync(`${sampleDir}truth.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const archetypeOf = new Map(truthRows.map((r) => [r[0] ?? '', r[1] ?? '']));
    const archetypes = [...new Set(archetypeOf.values())].sort();
    const ariOf = (id: string): { ari: number; customers: number; k: number } => {
      const { assignments, k } = assignmentsOf(engine.outputs(doc, id));
      const ids = strings(assignments, 'id');
      const labels = numbers(assignments, 'segment');
      const truth: number[] = [];
      const predicted: number[] = [];
      ids.forEach((cid, i) => {
        const a = archetypeOf.get(cid);
        if (a === undefined) return;
        truth.push(archetypes.indexOf(a));
        predicted.push(labels[i] ?? -1);
      });
      return { ari: adjustedRandIndex(truth, predicted), customers: truth.length, k };
    };
    const fixed = ariOf('segment');
    const auto = ariOf('auto');
    console.info(`segments vs archetypes: k = 6 → ARI ${fixed.ari.toFixed(4)} on ${fixed.customers} customers; silhouette over 2..10 chose k = ${auto.k} → ARI ${auto.ari.toFixed(4)}`);
    // Measured: k = 6 → ARI 0.8683 on 994 customers; the silhouette scan also picks k = 6.
    expect(fixed.customers).toBeGreaterThan(900);
    expect(fixed.ari).toBeGreaterThanOrEqual(0.8);
    expect(auto.k).toBe(6);
    expect(auto.ari).toBeGreaterThanOrEqual(0.8);

    // Not a lucky seed: other pipeline seeds give the same quality (measured 0.868–0.871).
    const normalised = table(engine.outputs(doc, 'normalise'), 'table');
    for (const seed of [1, 2, 3]) {
      const { outputs } = await runNode(segment, { table: normalised, predictions: undefined, scores: undefined, original: undefined }, { idColumn: 'customer_id', chooseK: 'fixed', k: 6 }, seed, 'segment');
      const ids = strings(outputs.segments.assignments, 'id');
      const labels = numbers(outputs.segments.assignments, 'segment');
      const known = ids.flatMap((cid, i) => (archetypeOf.has(cid) ? [i] : []));
      const ari = adjustedRandIndex(known.map((i) => archetypes.indexOf(archetypeOf.get(ids[i] ?? '') ?? '')), known.map((i) => labels[i] ?? -1));
      expect(ari, `seed ${seed}`).toBeGreaterThanOrEqual(0.8);
    }
  });
});

/** A feeder node kind for tests: outputs a fixed predictions table (here truth's probabilities, standing in for the LSTM). */
function predictionsFeeder(predictions: ColumnTable): AnyNodeSpec {
  return {
    kind: 'test-predictions',
    version: 1,
    label: 'Test predictions',
    description: 'Fixed predictions for a test.',
    category: 'data',
    inputs: {},
    outputs: { predictions: 'predictions' },
    params: {},
    messages: {},
    run: async () => ({ predictions }),
  };
}

function summaryOf(outputs: Record<string, unknown> | undefined): Record<string, unknown> {
  const metrics = outputs?.metrics;
  if (typeof metrics !== 'object' || metrics === null || !('summary' in metrics) || typeof metrics.summary !== 'object' || metrics.summary === null) throw new Error('No metrics output.');
  return { ...metrics.summary };
}

describe.skipIf(!ready)(`the decision chain on the sample (${ready ? sampleDir : `skipped: ${why}`})`, () => {
  it('segment → recommend (segment popularity) → decide picks the strategy each planted archetype calls for', async () => {
    const truthRows = readFileSync(`${sampleDir}truth.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // truth.csv's purchase probability stands in for the LSTM's predictions (a test may read truth; a pipeline never does).
    const predictions = makeTable({
      id: truthRows.map((r) => Number(r[0])),
      score: truthRows.map((r) => Number(r[2])),
      label: truthRows.map((r) => Number(r[3])),
      fold: truthRows.map(() => 0),
    });
    const feeder = predictionsFeeder(predictions);
    const engine = new Engine({ registry: { ...nodeRegistry, [feeder.kind]: feeder }, host: createNodeHost() });
    const base = featurePipeline();
    const doc: PipelineDocument = {
      ...base,
      nodes: [
        ...base.nodes,
        node('predictions', feeder.kind, {}, 400),
        node('segment', 'segment', { chooseK: 'fixed', k: 6 }, 600),
        node('recommend', 'recommend', { segmentPopularity: true }, 600),
        node('decide', 'decide', {}, 800),
      ],
      edges: [
        ...base.edges,
        { from: ['features', 'table'], to: ['segment', 'table'] },
        { from: ['predictions', 'predictions'], to: ['segment', 'predictions'] },
        { from: ['clean', 'table'], to: ['recommend', 'transactions'] },
        { from: ['segment', 'segments'], to: ['recommend', 'segments'] },
        { from: ['products', 'table'], to: ['recommend', 'products'] },
        { from: ['predictions', 'predictions'], to: ['decide', 'predictions'] },
        { from: ['segment', 'segments'], to: ['decide', 'segments'] },
        { from: ['recommend', 'recommendations'], to: ['decide', 'recommendations'] },
        { from: ['features', 'table'], to: ['decide', 'customers'] },
      ],
    };
    const report = await engine.run(doc);
    expect(report.ok, JSON.stringify(Object.values(report.statuses).flatMap((s) => s.issues))).toBe(true);

    // The strategy of each segment, by the archetype most of its customers were planted as.
    const archetypeOf = new Map(truthRows.map((r) => [r[0] ?? '', r[1] ?? '']));
    const { assignments } = assignmentsOf(engine.outputs(doc, 'segment'));
    const majority = new Map<number, Map<string, number>>();
    const segmentOf = numbers(assignments, 'segment');
    strings(assignments, 'id').forEach((cid, i) => {
      const seg = segmentOf[i] ?? -1;
      const counts = majority.get(seg) ?? new Map<string, number>();
      const a = archetypeOf.get(cid) ?? '?';
      counts.set(a, (counts.get(a) ?? 0) + 1);
      majority.set(seg, counts);
    });
    const strategies = table(engine.outputs(doc, 'decide'), 'strategies');
    const ruleByArchetype = new Map<string, string[]>();
    // The customers with a prediction but no segment (events, no purchase) have their own row.
    const segmentCells = values(strategies, 'segment');
    expect(segmentCells.filter((v) => v === null)).toHaveLength(1);
    const noSegment = strategies.objects().find((r) => (r as { segment: unknown }).segment === null);
    expect(noSegment).toMatchObject({ name: 'No segment', customers: 6, rule: 'no-segment' });
    segmentCells.forEach((cell, i) => {
      if (cell === null) return;
      const seg = Number(cell);
      const counts = [...(majority.get(seg) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
      const top = counts[0]?.[0] ?? '?';
      ruleByArchetype.set(top, [...(ruleByArchetype.get(top) ?? []), strings(strategies, 'rule')[i] ?? '']);
    });
    // Measured: lapsing → win-back, newcomer → nurture-new, champion and big-ticket → retain-valuable,
    // bargain-hunter ("Fashion shoppers") and loyal-regular ("Grocery shoppers") → upsell.
    expect(Object.fromEntries([...ruleByArchetype].sort())).toEqual({
      'bargain-hunter': ['upsell'],
      'big-ticket': ['retain-valuable'],
      champion: ['retain-valuable'],
      lapsing: ['win-back'],
      'loyal-regular': ['upsell'],
      newcomer: ['nurture-new'],
    });

    // Recommendations on the sample beat popularity clearly (measured recall@10 2.25×, 743 customers).
    const recs = summaryOf(engine.outputs(doc, 'recommend'));
    expect(recs.evaluated_customers).toBe(743);
    expect(Number(recs.recall_ratio)).toBeGreaterThanOrEqual(1.5);

    // The action table: every customer with a prediction. The 994 featured ones first, ranked by
    // probability × monetary, with names in the recommendations; then the 6 with no purchase (no
    // monetary value, so no priority) under "No segment".
    const actions = table(engine.outputs(doc, 'decide'), 'actions');
    expect(actions.numRows()).toBe(1000);
    const priorityCells = values(actions, 'priority');
    const priority = priorityCells.slice(0, 994).map(Number);
    for (let i = 1; i < priority.length; i++) expect(priority[i - 1]).toBeGreaterThanOrEqual(priority[i] ?? 0);
    expect(priorityCells.slice(994)).toEqual([null, null, null, null, null, null]);
    expect(values(actions, 'segment').slice(994)).toEqual([null, null, null, null, null, null]);
    expect(strings(actions, 'recommendations').slice(0, 994).filter((r) => r.split('; ').length === 3)).toHaveLength(994);
    expect(report.statuses.decide?.issues.map((i) => i.message)).toEqual([
      '6 customers with a prediction are in no segment; they are listed under “No segment” with the strategy “Reach outside the segments”.',
      'Customers in no segment without a value in "monetary": 6 of 6 (customers without a purchase have none); they have no priority, count for nothing in “No segment”’s expected value, and are listed last.',
    ]);
  });
});

if (!ready) {
  describe('segments quality check', () => {
    it.skip(`skipped: ${why}`, () => {});
  });
}
