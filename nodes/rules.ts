/**
 * Rules: market-basket analysis. Groups rows into baskets (basket/invoice column × item/product
 * column — a transactions table, a long basket/item table, or a ragged one-basket-a-line file
 * that Load reads with format "baskets"), finds every frequent itemset by FP-growth and the
 * association rules X → Y among them (src/ml/fpgrowth.ts): support, confidence, lift, leverage,
 * conviction and count. Outputs the rules (best lift first), the itemsets, and a rule model that
 * the recommend node's `rules` input uses ("customers who bought X and Y also buy Z").
 */
import { makeTable } from '../src/data/columns.ts';
import type { ColumnTable } from 'arquero';
import { basketMessages, basketShape, basketsFromCells, type BasketsFromRows } from '../src/data/baskets.ts';
import type { NodeContext } from '../src/engine/node.ts';
import type { Transform } from '../src/engine/ports.ts';
import { declaredErrors } from '../src/data/issues.ts';
import { associationRules, fpgrowthMessages, frequentItemsets } from '../src/ml/fpgrowth.ts';
import { ruleModelJson } from '../src/ml/rule-recommend.ts';
import { column, defineNode, integer, number, requireColumns, warning } from './define.ts';

const messages = {
  ...fpgrowthMessages,
  ...basketMessages,
  noBaskets: warning('No basket to mine: the table has no row with both a basket and an item.'),
  singleItemBaskets: warning('Every one of the {baskets} baskets holds a single item, so no rule has anything on its left; only single-item itemsets are listed.'),
  identicalBaskets: warning('All {baskets} baskets hold the same {items} items: every itemset has support 1 and every rule lift 1, which says nothing about what goes together.'),
  noItemsets: warning('No item reaches min support {minSupport} (count ≥ {minCount} of {baskets} baskets); lower parameter "minSupport".'),
  noRules: warning('No rule reaches min confidence {minConfidence} among the {itemsets} frequent itemsets; lower parameter "minConfidence" or "minSupport".'),
  rulesCut: warning('{found} rules were found; the {kept} with the highest lift are kept (parameter "maxRules").'),
};

/** An item set as arules prints it: {a, b}. */
function label(names: readonly string[], items: Int32Array): string {
  return `{${Array.from(items, (i) => names[i] ?? '?').join(', ')}}`;
}

/** The mining params of the rules node. */
export interface MiningParams {
  minSupport: number;
  minConfidence: number;
  maxLength: number;
  minLength: number;
  maxConsequent: number;
  maxRules: number;
  maxItemsets: number;
}

/**
 * The rules node's work after its baskets are built: warnings, FP-growth, rules, and the three
 * outputs. Shared by the node and its SQL run (src/sql/rules.ts), which builds the same baskets
 * in DuckDB. Kernel errors (DataError) are left to the caller's declaredErrors.
 */
export function mineRules(built: BasketsFromRows, rows: number, p: MiningParams, ctx: NodeContext): { rules: ColumnTable; itemsets: ColumnTable; model: Transform } {
  const skipped = built.missing + built.returns;
  if (skipped > 0) ctx.warn('skippedRows', { skipped, rows, missing: built.missing, returns: built.returns });
  const { baskets, itemNames } = built;
  const n = baskets.offsets.length - 1;
  if (n === 0) ctx.warn('noBaskets');
  ctx.progress(0.1, `${n} baskets`);
  const sets = frequentItemsets(baskets, { minSupport: p.minSupport, maxLength: p.maxLength, maxItemsets: p.maxItemsets, checkpoint: () => ctx.checkCancelled() });
  ctx.progress(0.7, `${sets.size} itemsets`);
  const found = associationRules(sets, { minConfidence: p.minConfidence, maxConsequent: p.maxConsequent, minLength: p.minLength, maxRules: p.maxRules });
  const shape = basketShape(baskets);
  if (shape.identical) ctx.warn('identicalBaskets', { baskets: n, items: shape.items });
  else if (shape.singleItem && n > 1) ctx.warn('singleItemBaskets', { baskets: n });
  if (n > 0 && sets.size === 0) ctx.warn('noItemsets', { minSupport: p.minSupport, minCount: sets.minCount, baskets: n });
  else if (sets.size > 0 && found.size === 0 && !shape.singleItem) ctx.warn('noRules', { minConfidence: p.minConfidence, itemsets: sets.size });
  if (found.found > found.size) ctx.warn('rulesCut', { found: found.found, kept: found.size });

  const side = (offsets: Int32Array, items: Int32Array, q: number) => items.subarray(offsets[q], offsets[q + 1]);
  const antecedent = Array.from({ length: found.size }, (_, q) => label(itemNames, side(found.antecedentOffsets, found.antecedentItems, q)));
  const consequent = Array.from({ length: found.size }, (_, q) => label(itemNames, side(found.consequentOffsets, found.consequentItems, q)));
  const rulesTable = makeTable(
    ['rule', 'antecedent', 'consequent', 'antecedent_size', 'support', 'confidence', 'lift', 'leverage', 'conviction', 'count'],
    [
      antecedent.map((x, q) => `${x} → ${consequent[q]!}`),
      antecedent,
      consequent,
      Float64Array.from({ length: found.size }, (_, q) => found.antecedentOffsets[q + 1]! - found.antecedentOffsets[q]!),
      found.support,
      found.confidence,
      found.lift,
      found.leverage,
      found.conviction,
      Float64Array.from(found.counts),
    ],
  );
  // Itemsets by support (ties: the kernel's order, by size then items).
  const order = Array.from({ length: sets.size }, (_, s) => s).sort((a, b) => sets.counts[b]! - sets.counts[a]! || a - b);
  const itemsets = makeTable(
    ['itemset', 'size', 'support', 'count'],
    [
      order.map((s) => label(itemNames, side(sets.offsets, sets.items, s))),
      Float64Array.from(order, (s) => sets.offsets[s + 1]! - sets.offsets[s]!),
      Float64Array.from(order, (s) => sets.counts[s]! / Math.max(n, 1)),
      Float64Array.from(order, (s) => sets.counts[s]!),
    ],
  );
  const mining = { minSupport: p.minSupport, minConfidence: p.minConfidence, maxLength: p.maxLength, maxConsequent: p.maxConsequent, minLength: p.minLength, maxItemsets: p.maxItemsets };
  const model = {
    kind: 'association-rules',
    label: `${found.size.toLocaleString('en')} rules from ${n.toLocaleString('en')} baskets`,
    params: ruleModelJson({ items: itemNames, rules: found, mining, baskets: n }),
  };
  ctx.progress(1);
  return { rules: rulesTable, itemsets, model };
}

/** The rules node. */
export const rules = defineNode({
  kind: 'rules',
  version: 1,
  label: 'Rules',
  category: 'model',
  description: 'Market-basket association rules by FP-growth: frequent itemsets and rules X → Y with support, confidence, lift, leverage and conviction.',
  inputs: { table: 'table' },
  outputs: { rules: 'table', itemsets: 'table', model: 'transform' },
  params: {
    basketColumn: column('basket', { label: 'Basket (invoice) column', help: 'Rows with the same value form one basket.' }),
    itemColumn: column('item', { label: 'Item (product) column' }),
    quantityColumn: column('', { label: 'Quantity column', optional: true, help: 'Empty: every row counts. Rows with quantity ≤ 0 (returns) are left out.' }),
    minSupport: number(0.01, { label: 'Min support', min: 0.00001, max: 1, step: 0.001, help: 'Share of baskets an itemset must appear in (count ≥ ⌈support × baskets⌉).' }),
    minConfidence: number(0.5, { label: 'Min confidence', min: 0, max: 1, step: 0.05, help: 'confidence(X → Y) = support(X ∪ Y) / support(X).' }),
    maxLength: integer(10, { label: 'Max itemset size', min: 1, max: 30, help: 'Items in an itemset (and in a rule, both sides together).' }),
    minLength: integer(2, { label: 'Min rule size', min: 1, max: 30, help: '1 also gives rules {} → {Y} (R arules’ default minlen = 1).', group: 'Limits' }),
    maxConsequent: integer(1, { label: 'Max items on the right', min: 1, max: 5, group: 'Limits' }),
    maxRules: integer(10_000, { label: 'Max rules', min: 0, max: 1_000_000, help: 'Keeps the rules with the highest lift; 0 keeps all.', group: 'Limits' }),
    maxItemsets: integer(1_000_000, { label: 'Itemset cap', min: 1, max: 20_000_000, help: 'Mining stops with a message past this many itemsets instead of exhausting memory.', group: 'Limits' }),
  },
  messages,
  zh: {
    label: '关联规则',
    description: '用 FP-growth 做购物篮分析：频繁项集与关联规则 X → Y，附支持度、置信度、提升度、杠杆率和确信度。',
    params: {
      basketColumn: { label: '购物篮（订单）列', help: '该列取值相同的行组成一个购物篮。' },
      itemColumn: { label: '商品列' },
      quantityColumn: { label: '数量列', help: '留空：每行都计入。数量 ≤ 0 的行（退货）不计入。' },
      minSupport: { label: '最小支持度', help: '项集必须出现的购物篮比例（计数 ≥ ⌈支持度 × 购物篮数⌉）。' },
      minConfidence: { label: '最小置信度', help: '置信度：confidence(X → Y) = support(X ∪ Y) / support(X)。' },
      maxLength: { label: '最大项集大小', help: '一个项集中的商品数（规则两侧合计）。' },
      minLength: { label: '最小规则大小', help: '设为 1 时也给出 {} → {Y} 规则（R arules 默认 minlen = 1）。' },
      maxConsequent: { label: '右侧最多商品数' },
      maxRules: { label: '最多规则数', help: '保留提升度最高的规则；0 表示全部保留。' },
      maxItemsets: { label: '项集上限', help: '项集超过此数量时停止挖掘并给出提示，而不是耗尽内存。' },
    },
    groups: { Limits: '限制' },
    messages: {
      itemsetCap: '在最小支持度 {minSupport}（{baskets} 个购物篮中计数 ≥ {minCount}）下频繁项集超过 {cap} 个；请提高最小支持度或降低最大项集大小。',
      badOption: '选项 {option} 必须是 {expected}；实际为 {value}。',
      notNumeric: '列 {column} 必须是数值；第 {row} 行的值为 {value}。',
      skippedRows: '{rows} 行中有 {skipped} 行未计入：{missing} 行缺少购物篮或商品，{returns} 行数量缺失或 ≤ 0（退货）。',
      noBaskets: '没有可挖掘的购物篮：表中没有同时具有购物篮和商品的行。',
      singleItemBaskets: '全部 {baskets} 个购物篮都只有一个商品，规则左侧无物可放；只列出单个商品的项集。',
      identicalBaskets: '全部 {baskets} 个购物篮都含有相同的 {items} 个商品：每个项集的支持度都是 1、每条规则的提升度都是 1，看不出哪些商品相伴购买。',
      noItemsets: '没有商品达到最小支持度 {minSupport}（{baskets} 个购物篮中计数 ≥ {minCount}）；请降低参数 "minSupport"。',
      noRules: '在 {itemsets} 个频繁项集中没有规则达到最小置信度 {minConfidence}；请降低参数 "minConfidence" 或 "minSupport"。',
      rulesCut: '共找到 {found} 条规则；保留提升度最高的 {kept} 条（参数 "maxRules"）。',
    },
  },
  async run({ table }, p, ctx) {
    return declaredErrors(ctx, messages, () => {
      requireColumns(table, [p.basketColumn], 'basketColumn');
      requireColumns(table, [p.itemColumn], 'itemColumn');
      if (p.quantityColumn !== '') requireColumns(table, [p.quantityColumn], 'quantityColumn');
      const rows = table.numRows();
      const quantity = p.quantityColumn === '' ? null : { column: p.quantityColumn, get: table.getter(p.quantityColumn) };
      const built = basketsFromCells(table.getter(p.basketColumn), table.getter(p.itemColumn), rows, quantity);
      return mineRules(built, rows, p, ctx);
    });
  },
  summary: (out) => `${out.rules.numRows().toLocaleString('en')} rules · ${out.itemsets.numRows().toLocaleString('en')} itemsets`,
});
