/**
 * Anonymise: for the privacy the method asks for — drops chosen personal columns, replaces
 * others by their salted SHA-256 (WebCrypto; same value → same hash, so joins and counts still
 * work) and generalises an age column to bands (`30-39`, top-coded `90+`). The salt is a
 * parameter of the pipeline: it stays in the project document and is never sent anywhere by
 * the studio (sharing or exporting the pipeline shares it too). With an empty salt one is
 * derived from the pipeline seed and the node id, and the node warns that the hashes can then
 * be reproduced by anyone holding the pipeline.
 */
import { ageBands, anonymiseMessages, hashColumn, reproducibleSalt } from '../src/data/anonymise.ts';
import { columnValues, makeTable, type ColumnArray } from '../src/data/columns.ts';
import { declaredErrors } from '../src/data/issues.ts';
import { column, columns, defineNode, error, integer, requireColumns, text, warning } from './define.ts';

const messages = {
  ...anonymiseMessages,
  derivedSalt: warning('Parameter "salt" is empty, so the salt was derived from the pipeline seed and node id: anyone with this pipeline can reproduce the hashes. Set a secret salt.'),
  nothingChosen: warning('No column is chosen to drop, hash or band; the table passes through unchanged.'),
  droppedAndHashed: error('Column {column} is both dropped and hashed; choose one.'),
  negativeAges: anonymiseMessages.negativeAges,
};

/** The anonymise node. */
export const anonymise = defineNode({
  kind: 'anonymise',
  version: 1,
  label: 'Anonymise',
  category: 'data',
  description: 'Drops or salt-hashes personal columns (SHA-256) and generalises ages to bands.',
  inputs: { table: 'table' },
  outputs: { table: 'table' },
  params: {
    drop: columns([], { label: 'Drop columns', help: 'Removed from the output.' }),
    hash: columns([], { label: 'Hash columns', help: 'Replaced by hex(SHA-256(salt ‖ 0x00 ‖ value)).' }),
    salt: text('', { label: 'Salt', help: 'Kept in this project only; never sent anywhere. Empty: derived from the seed (reproducible, with a warning).', maxLength: 500 }),
    hashChars: integer(64, { label: 'Hash length', unit: 'hex characters', min: 8, max: 64 }),
    ageColumn: column('', { numeric: true, optional: true, label: 'Age column', help: 'Replaced by its band, e.g. 30-39.', group: 'Age bands' }),
    bandWidth: integer(10, { label: 'Band width', unit: 'years', min: 1, max: 100, group: 'Age bands' }),
    topCode: integer(90, { label: 'Top band from', unit: 'years', min: 0, max: 200, help: 'Ages at or above it share one band (0: none).', group: 'Age bands' }),
  },
  messages,
  async run({ table }, params, ctx) {
    return declaredErrors(ctx, messages, async () => {
      requireColumns(table, params.drop, 'drop');
      requireColumns(table, params.hash, 'hash');
      if (params.ageColumn !== '') requireColumns(table, [params.ageColumn], 'ageColumn');
      const both = params.hash.find((c) => params.drop.includes(c));
      if (both !== undefined) return ctx.fail('droppedAndHashed', { column: both }, 'hash');
      if (params.drop.length === 0 && params.hash.length === 0 && params.ageColumn === '') ctx.warn('nothingChosen');
      let salt = params.salt;
      if (params.hash.length > 0 && salt === '') {
        salt = reproducibleSalt(ctx.seed, ctx.nodeId);
        ctx.warn('derivedSalt');
      }
      const dropped = new Set(params.drop);
      const names = table.columnNames().filter((n) => !dropped.has(n));
      const out: ColumnArray[] = [];
      for (const [k, name] of names.entries()) {
        ctx.progress(k / Math.max(1, names.length), name);
        const values = columnValues(table, name);
        if (params.hash.includes(name)) out.push(await hashColumn(values, salt, params.hashChars, () => ctx.checkCancelled()));
        else if (name === params.ageColumn) {
          const banded = ageBands(values, name, params.bandWidth, params.topCode);
          if (banded.negative > 0) ctx.warn('negativeAges', { column: name, count: banded.negative, example: banded.negativeExample });
          out.push(banded.values);
        } else out.push(values);
      }
      return { table: makeTable(names, out) };
    });
  },
  summary: (out) => `${out.table.numCols()} columns kept`,
});
