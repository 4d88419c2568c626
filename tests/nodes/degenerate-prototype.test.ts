/**
 * Every registered node kind with a table whose columns are named after every property of
 * Object.prototype (`constructor`, `__proto__`, `toString`, ...): the same state, message codes,
 * columns and cells as with ordinary names — a careless `record[column]` would read inherited
 * properties instead.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import { nodeKinds } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { SourceFile } from '../../src/engine/node.ts';
import { isTable, tableToCsv } from '../../src/engine/port-codec.ts';
import { columnValues, makeTable } from '../../src/data/columns.ts';
import { uniqueNames } from '../../src/data/csv.ts';
import { Engine } from '../../src/engine/runner.ts';
import { baseTable, harness } from './degenerate-suite.ts';

/** Every property name of Object.prototype, each of which a careless `record[column]` would read. */
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

/** The base table's columns under Object.prototype names, plus the remaining names as extra numeric columns. */
const prototypeRename = new Map<string, string>([
  ['customer_id', 'constructor'],
  ['invoice_id', 'hasOwnProperty'],
  ['timestamp', 'toString'],
  ['product_id', '__defineGetter__'],
  ['category', 'isPrototypeOf'],
  ['quantity', 'valueOf'],
  ['unit_price', '__proto__'],
  ['age', 'toLocaleString'],
]);
const extraNames = prototypeNames.filter((n) => ![...prototypeRename.values()].includes(n));

/**
 * The base table with four more numeric columns, under ordinary names or under Object.prototype
 * names. A kind that reads a file gets "__proto__" in its CSV header; other kinds get the table
 * as the readers make it, where "__proto__" has become "__proto___2" (see uniqueNames).
 */
function wideTable(prototype: boolean, asRead = false): ColumnTable {
  const base = baseTable();
  // A null-prototype record: a plain `{}` would take "__proto__" as its prototype, not a column.
  const data: Record<string, unknown[]> = Object.create(null);
  const names: string[] = [];
  for (const name of base.columnNames()) {
    const to = prototype ? (prototypeRename.get(name) ?? name) : name;
    data[to] = Array.from(base.array(name));
    names.push(to);
  }
  extraNames.forEach((name, i) => {
    const to = prototype ? name : `extra_${i}`;
    data[to] = [i, i + 1, i + 3, i, i + 2, i + 5];
    names.push(to);
  });
  const table = new aq.ColumnTable(data, names);
  return asRead ? makeTable(uniqueNames(names).names, names.map((n) => columnValues(table, n))) : table;
}

describe.each(nodeKinds.map((spec) => [spec.kind, spec] as const))('node kind %s with Object.prototype column names', (_kind, spec) => {
  it('behaves exactly as with ordinary names: same state, same message codes, no exception', async () => {
    const run = async (prototype: boolean) => {
      const table = wideTable(prototype, spec.readsFile !== true);
      const asRead = (c: string) => (spec.readsFile === true ? c : (uniqueNames([c]).names[0] ?? c));
      const rename = prototype ? (c: string) => asRead(prototypeRename.get(c) ?? c) : undefined;
      const { registry, doc } = harness(spec, table, false, rename);
      const buffers: Record<string, SourceFile> = {};
      if (spec.readsFile) buffers.subject = { name: 'prototype.csv', bytes: new TextEncoder().encode(tableToCsv(table)) };
      const engine = new Engine({ registry, host: createNodeHost({ buffers, backend: () => 'cpu' }) });
      const report = await engine.run(doc);
      const status = report.statuses.subject;
      const outputs = engine.outputs(doc, 'subject');
      // The plain run's names are translated, so derived names (contrib_quantity) and labels compare too.
      const translate = (text: string) => (prototype ? text : text.replace(/(?<![A-Za-z0-9])(?:extra_\d+|customer_id|invoice_id|timestamp|product_id|category|quantity|unit_price|age)(?![A-Za-z0-9])/g, (c) => uniqueNames([prototypeNameOf(c) ?? c]).names[0] ?? c));
      const columns = outputs && isTable(outputs.table) ? outputs.table.columnNames().map(translate) : null;
      // The rows below the header, so the cells themselves must match too.
      const rows = outputs && isTable(outputs.table) ? tableToCsv(outputs.table).split('\n').slice(1).map(translate) : null;
      return { state: status?.state, codes: status?.issues.map((i) => i.code), messages: status?.issues.map((i) => i.message) ?? [], columns, rows };
    };
    const plain = await run(false);
    const prototype = await run(true);
    expect(prototype.messages.filter((m) => /native code|Unexpected (value|failure)/.test(m))).toEqual([]);
    // Reading "__proto__" from a file renames it, and says so; nothing else may differ.
    // (The reader's notes come before the node's own, so the rename's place in the list may differ.)
    const renamed = spec.readsFile === true ? { state: 'warning', codes: [...(plain.codes ?? []), `${spec.kind}.renamedHeaders`].sort() } : { state: plain.state, codes: plain.codes?.slice().sort() };
    expect({ state: prototype.state, codes: prototype.codes?.slice().sort() }).toEqual(renamed);
    expect(prototype.columns).toEqual(plain.columns);
    expect(prototype.rows).toEqual(plain.rows);
  });
});

/** The Object.prototype name an ordinary test column stands for, if any. */
function prototypeNameOf(column: string): string | undefined {
  const extra = /^extra_(\d+)$/.exec(column);
  if (extra) return extraNames[Number(extra[1])];
  return prototypeRename.get(column);
}

describe('the Object.prototype name table', () => {
  it('renames columns to all twelve Object.prototype names', () => {
    expect(wideTable(true).columnNames().sort()).toEqual(prototypeNames);
    expect(prototypeNames).toHaveLength(12);
    expect(wideTable(true, true).columnNames().filter((n) => !prototypeNames.includes(n))).toEqual(['__proto___2']);
  });
});
