import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { table as aqTable, type ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { columnValues } from '../../src/data/columns.ts';
import { readTable } from '../../src/data/read.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';

function tableOut(outputs: Record<string, unknown> | undefined, port: string): ColumnTable {
  const value = outputs?.[port];
  if (!isTable(value)) throw new Error(`no table on port ${port}`);
  return value;
}

const telco = async () => (await readTable({ name: 'telco.csv', bytes: new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', 'telco-churn-subset.csv'))) })).table;

describe('clean node', () => {
  it('reports Telco churn’s 11 blank TotalCharges and drops their rows when asked', async () => {
    const run = await runNode('clean', { missing: { TotalCharges: 'drop-row' } }, { table: tableFeed(await telco()) });
    expect(run.status.state).toBe('done');
    expect(tableOut(run.outputs, 'table').numRows()).toBe(49);
    expect(tableOut(run.outputs, 'report').objects()).toEqual([
      { rule: 'trim', column: '', rows_affected: 0, detail: 'no text cell had surrounding whitespace' },
      { rule: 'duplicates', column: '', rows_affected: 0, detail: '0 rows equal to an earlier row in all 21 columns were dropped' },
      { rule: 'missing', column: 'TotalCharges', rows_affected: 11, detail: 'dropped 11 rows with a missing TotalCharges' },
    ]);
    expect(run.status.summary).toBe('49 rows · 3 report lines');
  });

  it('imputes the median of TotalCharges for the 11 blank cells', async () => {
    const table = await telco();
    const present = Array.from(columnValues(table, 'TotalCharges')).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
    const median = present[24]!; // 49 values: the 25th is the median
    const run = await runNode('clean', { missing: { TotalCharges: 'median' } }, { table: tableFeed(table) });
    const out = Array.from(columnValues(tableOut(run.outputs, 'table'), 'TotalCharges'));
    expect(present).toHaveLength(49);
    expect(out.filter((v) => v === median)).toHaveLength(11 + present.filter((v) => v === median).length);
    expect(tableOut(run.outputs, 'report').objects().at(-1)).toEqual({ rule: 'missing', column: 'TotalCharges', rows_affected: 11, detail: `imputed median = ${median}` });
  });

  it('fails with the parameter named when a condition or missing-value column does not exist', async () => {
    const t = aqTable({ qty: [1, 2] });
    const run = await runNode('clean', { conditions: [{ column: 'quantity', op: '>', value: 0 }] }, { table: tableFeed(t) });
    expect(run.codes).toEqual(['column.missing']);
    expect(run.status.issues[0]?.message).toBe('Column "quantity" named in parameter "conditions" is not in the input table (it has "qty").');
  });

  it('turns a kernel refusal into its own declared error and an unknown operator into a parameter error', async () => {
    const t = aqTable({ qty: [1, 2] });
    const bad = await runNode('clean', { conditions: [{ column: 'qty', op: '>', value: 'lots' }] }, { table: tableFeed(t) });
    expect(bad.codes).toEqual(['clean.conditionNotNumber']);
    const op = await runNode('clean', { conditions: [{ column: 'qty', op: 'matches', value: '.*' }] }, { table: tableFeed(t) });
    expect(op.codes).toEqual(['param.invalid']);
  });

  it('warns when every row is removed and says which infinite values it set missing', async () => {
    const t = aqTable({ x: Float64Array.from([1, Infinity]) });
    const run = await runNode('clean', { conditions: [{ column: 'x', op: '>', value: 5 }] }, { table: tableFeed(t) });
    expect(run.status.state).toBe('warning');
    expect(run.status.issues.map((i) => i.message)).toEqual(['Column "x": 1 infinite values became missing.', 'Cleaning removed all 2 rows; the output table is empty.']);
  });
});
