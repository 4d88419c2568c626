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
  zh: {
    label: '匿名化',
    description: '对标识列进行哈希或删除，保护个人信息。',
    params: {
      drop: { label: '删除的列', help: '从输出中移除。' },
      hash: { label: '哈希处理的列', help: '替换为 hex(SHA-256(salt ‖ 0x00 ‖ value))。' },
      salt: { label: '盐值', help: '只保存在本项目中，不会发送到任何地方。留空：由随机种子派生（可复现，但会给出警告）。' },
      hashChars: { label: '哈希长度', unit: '十六进制字符' },
      ageColumn: { label: '年龄列', help: '替换为所在的年龄段，例如 30-39。' },
      bandWidth: { label: '年龄段宽度', unit: '岁' },
      topCode: { label: '最高年龄段起点', help: '达到或超过该年龄的都归入同一个年龄段（0：不设）。', unit: '岁' },
    },
    groups: { 'Age bands': '年龄分段' },
    messages: {
      notNumericAge: '参数 "ageColumn" 中的列 {column} 必须是数值（年龄）；它含有 {example} 这样的值。',
      negativeAges: '列 {column}：{count} 个小于 0 的年龄（如 {example}）不是有效年龄，已变为缺失值。',
      noCrypto: '当前环境没有哈希所需的 WebCrypto（crypto.subtle）。',
      derivedSalt: '参数 "salt" 为空，因此盐值由流水线随机种子和节点 ID 派生：任何拿到此流水线的人都能复现这些哈希值。请设置一个保密的盐值。',
      nothingChosen: '没有选择要删除、哈希或分段的列；表格原样通过。',
      droppedAndHashed: '列 {column} 既被删除又被哈希；请只选其一。',
    },
  },
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
