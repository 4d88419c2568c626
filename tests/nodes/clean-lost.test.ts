import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { runNode, table } from './intent-harness.ts';

describe('clean with a customer id column', () => {
  const rows = aq.table({ CustomerID: [1, 1, 2, 3, 3], Quantity: [2, -1, -5, 4, 1] });

  it('warns with the number of customers who lost every row', async () => {
    const run = await runNode('clean', { dropDuplicates: false, conditions: [{ column: 'Quantity', op: '>', value: 0 }], idColumn: 'CustomerID' }, { table: table(rows) });
    expect(run.status.issues.map((i) => i.code)).toEqual(['clean.customersLost']);
    expect(run.status.issues[0]?.message).toBe('1 of 3 customers in column "CustomerID" lost every row in cleaning (such as "2"); they are in no later result.');
  });

  it('says nothing when every customer keeps a row', async () => {
    const run = await runNode('clean', { dropDuplicates: false, conditions: [{ column: 'Quantity', op: '>', value: -10 }], idColumn: 'CustomerID' }, { table: table(rows) });
    expect(run.status.issues.map((i) => i.code)).not.toContain('clean.customersLost');
  });
});
