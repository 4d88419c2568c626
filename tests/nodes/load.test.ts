import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { readTable } from '../../src/data/read.ts';
import { defaultTopCount } from '../../src/data/stats.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { NodeHost, SourceFile } from '../../src/engine/node.ts';
import { Engine } from '../../src/engine/runner.ts';
import { columnValues } from '../../src/data/columns.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { rowObjects, runNode } from '../data/node-harness.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => join(fixtures, 'data', name);

function tableOut(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`no table on port ${port}`);
  return value;
}

/** The stats table as one object per column. */
function statsRows(stats: ColumnTable): Record<string, unknown>[] {
  return rowObjects(stats);
}

describe('load node', () => {
  it('reads the bound ;-separated CRLF file into a typed table and its column statistics', async () => {
    const run = await runNode('load', {}, {}, { files: { subject: fixture('semicolon-crlf.csv') } });
    expect(run.status.state).toBe('done');
    expect(run.status.summary).toBe('4 rows × 5 columns');
    const table = tableOut(run.outputs, 'table');
    expect(Array.from(columnValues(table, 'name'))).toEqual(['Dupont; Marie', 'O"Brien', 'Müller', 'Ng']);
    expect(statsRows(tableOut(run.outputs, 'stats'))[3]).toEqual({ column: 'amount', type: 'number', count: 3, missing: 1, distinct: 3, min: 7, max: 1000.25, mean: (12.5 + 7 + 1000.25) / 3, top: '[["7",1],["12.5",1],["1000.25",1]]' });
  });

  it('warns that a GBK file was not UTF-8 and was read as GB18030', async () => {
    const run = await runNode('load', {}, {}, { files: { subject: fixture('gbk.csv') } });
    expect(run.status.state).toBe('warning');
    expect(run.codes).toEqual(['load.guessedEncoding']);
    expect(run.status.issues[0]?.message).toBe('The file "gbk.csv" is not valid UTF-8; it was read as "gb18030". Choose the encoding in parameter "encoding" if the text looks wrong.');
    expect(tableOut(run.outputs, 'table').columnNames()).toEqual(['客户编号', '姓名', '城市', '消费金额', '日期']);
    const chosen = await runNode('load', { encoding: 'gb18030' }, {}, { files: { subject: fixture('gbk.csv') } });
    expect(chosen.status.state).toBe('done');
  });

  it('says how many of Telco churn’s TotalCharges cells were blank', async () => {
    const run = await runNode('load', {}, {}, { files: { subject: fixture('telco-churn-subset.csv') } });
    expect(run.status.issues.map((i) => i.message)).toEqual(['Column "TotalCharges": 11 cells such as " " were read as missing.']);
    const stats = statsRows(tableOut(run.outputs, 'stats')).find((s) => s.column === 'TotalCharges');
    expect(stats).toMatchObject({ type: 'number', count: 49, missing: 11 });
  });

  it('reads a bundled sample and applies chosen column types', async () => {
    const run = await runNode('load', { source: 'sample', sample: 'data/semicolon-crlf.csv', types: { id: 'text' } }, {}, { sampleRoot: fixtures });
    expect(Array.from(columnValues(tableOut(run.outputs, 'table'), 'id'))).toEqual(['1', '2', '3', '4']);
    expect(statsRows(tableOut(run.outputs, 'stats'))[0]).toMatchObject({ column: 'id', type: 'text' });
  });

  it('fails with a declared message when no file is bound, the URL is empty or the file is over the cap', async () => {
    const none = await runNode('load', {});
    expect(none.codes).toEqual(['load.noFile']);
    expect(none.status.issues[0]?.message).toBe('No file is bound to node "subject"; drop or pick a file, or set parameter "source" to a bundled sample or a URL.');
    expect((await runNode('load', { source: 'url' })).codes).toEqual(['load.emptyUrl']);
    const big = { name: 'big.csv', bytes: new TextEncoder().encode(`x\n${'1\n'.repeat(600_000)}`) };
    const capped = await runNode('load', { maxMegabytes: 1 }, {}, { buffers: { subject: big } });
    expect(capped.codes).toEqual(['load.tooLarge']);
    expect(capped.status.issues[0]?.message).toBe('The file "big.csv" is 1.1 MB, over the 1 MB cap in parameter "maxMegabytes"; raise the cap or load a smaller extract.');
    expect(capped.status.issues[0]?.param).toBe('maxMegabytes');
  });

  it('rejects an unknown format choice before running, naming the parameter and the value', async () => {
    const run = await runNode('load', { format: 'xlsx' }, {}, { files: { subject: fixture('gbk.csv') } });
    expect(run.status.state).toBe('error');
    expect(run.status.issues[0]?.message).toContain('parameter "format": expected one of "auto", "csv", "tsv", "json", "ndjson", "parquet", "arrow", "baskets", got "xlsx"');
  });
});

describe('load node: the file read from disk is freed once read', () => {
  /** Runs a lone load node over `path` through a Node host that hands out files from disk, returning the table and the file it was given. */
  async function loadKeeping(path: string, params: Record<string, unknown> = {}): Promise<{ table: ColumnTable; file: SourceFile }> {
    const disk = createNodeHost({ files: { subject: path } });
    let given: SourceFile | undefined;
    const host: NodeHost = {
      ...disk,
      boundFile: async (nodeId) => {
        given = await disk.boundFile(nodeId);
        return given;
      },
    };
    const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'test', description: '', seed: 42, nodes: [{ id: 'subject', kind: 'load', version: 1, params, position: [0, 0], note: '' }], edges: [], notes: [] };
    const engine = new Engine({ registry: nodeRegistry, host });
    const report = await engine.run(doc);
    expect(report.ok).toBe(true);
    if (given === undefined) throw new Error('the load node asked for no file');
    return { table: tableOut(engine.outputs(doc, 'subject'), 'table'), file: given };
  }

  it('empties a CSV file’s bytes after reading and keeps every value of the table it read from them', async () => {
    const path = fixture('online-retail-subset.csv');
    const { table, file } = await loadKeeping(path);
    expect(file.bytes.length).toBe(0);
    const again = await readTable({ name: 'online-retail-subset.csv', bytes: new Uint8Array(readFileSync(path)) }, { statsTopCount: defaultTopCount });
    expect(table.numRows()).toBe(again.table.numRows());
    expect(rowObjects(table)).toEqual(rowObjects(again.table));
  });

  it('keeps a Parquet file’s bytes, whose columns may be views of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-release-'));
    const path = join(dir, 'small.parquet');
    try {
      writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: [1, 2, 3], type: 'INT32' }, { name: 'amount', data: [1.5, 2.5, 3.5], type: 'DOUBLE' }] })));
      const { table, file } = await loadKeeping(path);
      expect(file.bytes.length).toBeGreaterThan(0);
      expect(rowObjects(table)).toEqual([{ id: 1, amount: 1.5 }, { id: 2, amount: 2.5 }, { id: 3, amount: 3.5 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
