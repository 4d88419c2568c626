/**
 * The Groceries rules and Online Retail cohorts example pipelines run end to end with the real
 * files from ../shared/data bound to load1 (skipped, saying why, without them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { Engine } from '../../src/engine/runner.ts';
import { loadPipeline } from '../../src/engine/validate.ts';

const dataDir = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const groceries = `${dataDir}groceries/groceries.csv`;
const retail = `${dataDir}online-retail/online_retail_sample.csv`;
const present = existsSync(groceries) && existsSync(retail);

async function runExample(file: string, data: string) {
  const loaded = loadPipeline(JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/examples/${file}`, import.meta.url)), 'utf8')), nodeRegistry);
  expect(loaded.problems).toEqual([]);
  if (!loaded.ok) throw new Error('invalid example');
  const engine = new Engine({ registry: nodeRegistry, host: createNodeHost({ files: { load1: data } }) });
  const report = await engine.run(loaded.document);
  expect(report.ok).toBe(true);
  return (node: string, port: string) => {
    const value = engine.outputs(loaded.document, node)?.[port];
    if (!isTable(value)) throw new Error(`${node}.${port} is not a table`);
    return value;
  };
}

describe.skipIf(!present)(`rules and cohorts examples (${present ? dataDir : 'skipped: ../shared/data not found'})`, () => {
  it('groceries-rules.json gives arules\' 410 rules from the ragged file and recommends by rules', async () => {
    const out = await runExample('groceries-rules.json', groceries);
    expect(out('rules1', 'rules').numRows()).toBe(410);
    expect(out('rules1', 'itemsets').numRows()).toBe(13492);
    expect(out('rules2', 'rules').numRows()).toBe(8332);
    expect(out('recommend1', 'recommendations').get('source', 0)).toBe('association-rule');
  });

  it('online-retail-cohorts.json gives 13 monthly cohorts of 441 customers', async () => {
    const out = await runExample('online-retail-cohorts.json', retail);
    const matrix = out('cohorts1', 'matrix');
    expect(matrix.numRows()).toBe(13);
    expect(Array.from(matrix.array('customers')).reduce((a, b) => Number(a) + Number(b), 0)).toBe(441);
    expect(matrix.get('p0', 0)).toBe(1);
  });
});
