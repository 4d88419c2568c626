import { createHash } from 'node:crypto';
import { table as aqTable, type ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { reproducibleSalt } from '../../src/data/anonymise.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';

function tableOut(outputs: Record<string, unknown> | undefined): ColumnTable {
  const value = outputs?.table;
  if (!isTable(value)) throw new Error('no table');
  return value;
}

const sha = (salt: string, text: string) => createHash('sha256').update(`${salt}\u0000${text}`, 'utf8').digest('hex');
const people = () => aqTable({ email: ['a@x.org', 'b@x.org', 'a@x.org'], name: ['Ann', 'Bo', 'Ann'], age: [34, 91, null], spend: [10, 20, 30] });

describe('anonymise node', () => {
  it('drops, hashes with the salt and bands ages', async () => {
    const run = await runNode('anonymise', { drop: ['name'], hash: ['email'], salt: 'pepper', hashChars: 16, ageColumn: 'age' }, { table: tableFeed(people()) });
    expect(run.status.state).toBe('done');
    expect(tableOut(run.outputs).objects()).toEqual([
      { email: sha('pepper', 'a@x.org').slice(0, 16), age: '30-39', spend: 10 },
      { email: sha('pepper', 'b@x.org').slice(0, 16), age: '90+', spend: 20 },
      { email: sha('pepper', 'a@x.org').slice(0, 16), age: null, spend: 30 },
    ]);
  });

  it('derives a reproducible salt from the seed and node id when none is given, and warns', async () => {
    const run = await runNode('anonymise', { hash: ['email'] }, { table: tableFeed(people()) }, {}, 7);
    expect(run.codes).toEqual(['anonymise.derivedSalt']);
    expect(tableOut(run.outputs).get('email', 1)).toBe(sha(reproducibleSalt(7, 'subject'), 'b@x.org'));
  });

  it('refuses a column that is both dropped and hashed, and a text age column', async () => {
    expect((await runNode('anonymise', { drop: ['email'], hash: ['email'], salt: 's' }, { table: tableFeed(people()) })).codes).toEqual(['anonymise.droppedAndHashed']);
    const text = await runNode('anonymise', { ageColumn: 'name' }, { table: tableFeed(people()) });
    expect(text.codes).toEqual(['anonymise.notNumericAge']);
    expect(text.status.issues[0]?.param).toBe('ageColumn');
  });

  it('warns when nothing is chosen and passes the table through', async () => {
    const run = await runNode('anonymise', {}, { table: tableFeed(people()) });
    expect(run.codes).toEqual(['anonymise.nothingChosen']);
    expect(tableOut(run.outputs).objects()).toEqual(people().objects());
  });
});
