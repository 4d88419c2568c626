/**
 * The example pipeline public/examples/online-retail-rfm.json (load → clean → features →
 * normalise → weight): it validates against the registry, and its recency, frequency and
 * monetary equal an independent plain-loop computation — on the committed fixture always, and
 * on the full shared Online Retail sample when ../shared/data is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost, repoRoot } from '../../src/cli/node-host.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { Engine } from '../../src/engine/runner.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { rowObjects } from './node-harness.ts';
import { independentRfm } from './plain-rfm.ts';

const examplePath = join(repoRoot, 'public', 'examples', 'online-retail-rfm.json');
const fixturePath = join(repoRoot, 'tests', 'fixtures', 'data', 'online-retail-subset.csv');
const sharedPath = join(repoRoot, '..', 'shared', 'data', 'online-retail', 'online_retail_sample.csv');

function document() {
  const loaded = loadPipeline(JSON.parse(readFileSync(examplePath, 'utf8')), nodeRegistry);
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.document;
}

function tableOf(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`no table on ${port}`);
  return value;
}

async function runOn(path: string) {
  const doc = document();
  const engine = new Engine({ registry: nodeRegistry, host: createNodeHost({ files: { load1: path } }) });
  const report = await engine.run(doc);
  return { doc, engine, report };
}

async function checkAgainstIndependent(path: string, customers: number): Promise<void> {
  const { doc, engine, report } = await runOn(path);
  expect(report.ok, JSON.stringify(Object.values(report.statuses).flatMap((s) => s.issues))).toBe(true);
  const featureRows = rowObjects(tableOf(engine.outputs(doc, 'features1'), 'table'));
  const expected = independentRfm(readFileSync(path, 'utf8'));
  expect(featureRows).toHaveLength(customers);
  expect(Object.keys(expected)).toHaveLength(customers);
  for (const row of featureRows) {
    const e = expected[String(row.CustomerID)];
    expect(e, `customer ${String(row.CustomerID)}`).toBeDefined();
    if (!e) continue;
    expect({ recency_days: row.recency_days, frequency: row.frequency }).toEqual({ recency_days: e.recency_days, frequency: e.frequency });
    expect(Math.abs(Number(row.monetary) - e.monetary)).toBeLessThanOrEqual(1e-9 * Math.max(1, e.monetary));
  }
  const scored = tableOf(engine.outputs(doc, 'weight1'), 'table');
  for (const name of ['recency_days', 'frequency', 'monetary']) {
    const values = Array.from(scored.array(name), Number);
    expect(values.every((v) => v >= 0 && v <= 1), `${name} in [0, 1]`).toBe(true);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
  }
  const ranks = Array.from(scored.array('rank'), Number);
  expect(Math.min(...ranks)).toBe(1);
  expect(scored.columnNames().slice(-5)).toEqual(['score', 'rank', 'contrib_recency_days', 'contrib_frequency', 'contrib_monetary']);
}

describe('the Online Retail RFM example pipeline', () => {
  it('is a valid document whose nodes run in the order load → clean → features → normalise → weight', () => {
    const doc = document();
    expect(doc.nodes.map((n) => n.kind)).toEqual(['load', 'clean', 'features', 'normalise', 'weight']);
  });

  it('matches the independent RFM computation on the committed fixture, with scaled columns in [0, 1]', async () => {
    await checkAgainstIndependent(fixturePath, 35);
  });

  it.skipIf(!existsSync(sharedPath))('matches the independent RFM computation on the full shared sample (skipped when ../shared/data/online-retail is absent)', async () => {
    await checkAgainstIndependent(sharedPath, 441);
  });

  it('reports in clean what it removed from the fixture', async () => {
    const { doc, engine } = await runOn(fixturePath);
    const report = rowObjects(tableOf(engine.outputs(doc, 'clean1'), 'report')).filter((r) => r.rule === 'condition');
    expect(report.map((r) => [r.column, r.rows_affected])).toEqual([
      ['InvoiceNo', 31],
      ['Quantity', 0],
      ['UnitPrice', 2],
      ['CustomerID', 59],
    ]);
  });
});
