import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { cleanTable } from '../../src/data/clean.ts';
import { tableCsvPieces, tableToCsv } from '../../src/engine/port-codec.ts';
import { SqlSession, sqlColumns } from '../../src/sql/session.ts';

describe('the DuckDB session', () => {
  it('applies --memory-limit and --temp-dir to the database, and runs the allocator background threads that hand freed memory back', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'insight-sql-')), 'spill');
    const session = await SqlSession.open({ memoryLimit: '256MB', tempDir: dir, threads: 1 });
    const { columns } = await session.query("SELECT current_setting('memory_limit'), current_setting('temp_directory'), current_setting('allocator_background_threads')");
    session.close();
    expect(String(columns[0]?.[0])).toMatch(/^2\d\d(\.\d+)? MiB$/);
    expect(columns[1]?.[0]).toBe(dir);
    expect(columns[2]?.[0]).toBe(true);
  });

  it('carries a table across the boundary and back unchanged: empty text vs missing, quotes, newlines, -0, dates, row order', async () => {
    const t = aq.table({
      text: ['', null, 'a "b", c', 'line\nbreak', "it's; --", '名前 🙂'],
      x: [-0, 1 / 3, null, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2],
      when: [new Date(0), null, new Date('2024-02-29T23:59:59.999Z'), new Date(-86400000), new Date(1e12), new Date(1.5e12)],
    });
    const schema = sqlColumns(t);
    if (!schema.ok) throw new Error(schema.reason);
    expect(schema.columns.map((c) => c.type)).toEqual(['VARCHAR', 'DOUBLE', 'TIMESTAMP_MS']);
    const session = await SqlSession.open({ threads: 2 });
    const back = await session.materialise(await session.relationOf(t, schema.columns));
    session.close();
    expect(back.columnNames()).toEqual(['text', 'x', 'when']);
    expect(Array.from(back.array('text'))).toEqual(['', null, 'a "b", c', 'line\nbreak', "it's; --", '名前 🙂']);
    const x = Array.from(back.array('x'));
    expect(Object.is(x[0], -0)).toBe(true);
    expect(x.slice(1)).toEqual([1 / 3, null, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2]);
    expect(Array.from(back.array('when'), (d) => (d instanceof Date ? d.getTime() : d))).toEqual([0, null, Date.parse('2024-02-29T23:59:59.999Z'), -86400000, 1e12, 1.5e12]);
  });

  it('reads a relation out in batches of rows whose CSV, header once, is the whole table’s byte for byte (a batch with missing numbers beside a complete one, dates, guarded text); a relation of no rows gives one empty batch', async () => {
    const t = aq.table({
      text: ['=1+1', null, 'a "b", c', '', 'line\nbreak', '@x', '-5', '名前'],
      x: [1.5, -0, 2, 3, null, 4, 1 / 3, 7],
      when: [new Date(0), new Date(86_400_000 + 1), null, new Date(1e12), new Date(0), new Date(-1), new Date(2e12), new Date(86_400_000)],
    });
    const schema = sqlColumns(t);
    if (!schema.ok) throw new Error(schema.reason);
    const session = await SqlSession.open({ threads: 2 });
    const relation = await session.relationOf(t, schema.columns);
    const whole = tableToCsv(await session.read(relation));
    const batches = [];
    for await (const batch of session.readBatches(relation, 3)) batches.push(batch);
    const empty = { name: session.fresh('empty'), columns: schema.columns };
    await session.exec(`CREATE TABLE "${empty.name}" AS SELECT * FROM "${relation.name}" WHERE false`);
    const none = [];
    for await (const batch of session.readBatches(empty, 3)) none.push(batch);
    session.close();
    expect(batches.map((b) => b.numRows())).toEqual([3, 3, 2]);
    // The first batch's numbers are complete (a Float64Array), the second's are not.
    expect(batches[0]?.column('x')).toBeInstanceOf(Float64Array);
    expect(batches[1]?.column('x')).not.toBeInstanceOf(Float64Array);
    expect(batches.flatMap((b, i) => [...tableCsvPieces(b, 2, i === 0)]).join('')).toBe(whole);
    expect(whole).toBe(tableToCsv(t));
    expect(none.map((b) => b.numRows())).toEqual([0]);
    expect([...tableCsvPieces(none[0]!)].join('')).toBe('text,x,when\n');
  });

  it('declines columns it cannot carry exactly: infinities, booleans', () => {
    expect(sqlColumns(aq.table({ x: [1, Infinity] })).ok).toBe(false);
    expect(sqlColumns(aq.table({ b: [true, false] })).ok).toBe(false);
  });

  it('carries clean’s output, a filtered view of its input’s columns, as it carries the same rows copied', async () => {
    const input = aq.table({
      id: ['a', 'b', 'b', 'c', 'd', 'e'],
      x: Float64Array.from([1, 2, 2, -5, 4, 5]),
      when: [new Date(0), new Date(1e12), new Date(1e12), null, new Date(2e12), new Date(-1)],
      note: ['p', ' q ', ' q ', 'r', null, 's'],
    });
    const { table: view } = cleanTable(input, { dropDuplicates: true, conditions: [{ column: 'x', op: '>', value: 0 }] });
    expect(view.isFiltered()).toBe(true);
    expect(view.column('x')).toBe(input.column('x'));
    const copy = view.reify();
    const schema = sqlColumns(view);
    if (!schema.ok) throw new Error(schema.reason);
    const session = await SqlSession.open({ threads: 1 });
    const fromView = await session.materialise(await session.relationOf(view, schema.columns));
    const fromCopy = await session.materialise(await session.relationOf(copy, schema.columns));
    session.close();
    expect(tableToCsv(fromView)).toBe(tableToCsv(fromCopy));
    expect(Array.from(fromView.array('id'))).toEqual(['a', 'b', 'd', 'e']);
    expect(Array.from(fromView.array('note'))).toEqual(['p', 'q', null, 's']);
  });
});
