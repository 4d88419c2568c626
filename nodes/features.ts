/**
 * Features: one row per customer from transactions — recency_days (days from the last
 * purchase to the reference date, default the latest date in the data plus one day),
 * frequency (distinct invoices), monetary (Σ quantity × price), tenure_days, avg_basket_value,
 * distinct_products (with a product column) and share_<category> (with a category column,
 * from the transactions or joined by product id from the optional `products` table). The
 * customer id column keeps its name. With `cutoff` set only rows before that day count and
 * recency and tenure are measured to it: the history features of a purchase-intent label that
 * starts there. Formulas: src/data/features.ts.
 */
import type { ColumnTable } from 'arquero';
import { columnValues, isMissing, makeTable, numberColumn, storedColumns, type Values } from '../src/data/columns.ts';
import { dayStartMs, isoDay, toEpochMs } from '../src/data/dates.ts';
import { customerFeatures, featureMessages } from '../src/data/features.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { boolean, column, date, defineNode, error, integer, optional, requireColumns, warning } from './define.ts';

const messages = {
  ...featureMessages,
  chooseColumn: error('Parameter {param} is empty; choose the {what} column.'),
  categoryNeedsProducts: error('Parameter "category" names {column}, which is in neither the transactions nor the products table.'),
  productKeyNeeded: error('To join categories from the products table, set parameter "product" (the product id column of the transactions).'),
  conflictingCategories: warning('{count} product ids have more than one category in the products table (such as {example}); the first one listed is used.'),
  unknownProducts: warning('{count} transaction rows have a product id that is not in the products table; they have no category, so their spend is in monetary but in no share column.'),
};

/** Category per stored row, joined from a products table by product id (as text); only the rows in `rows` (when given) get one and are counted. */
function joinCategories(products: ColumnTable, key: string, category: string, productIds: Values, rows: Uint32Array | null): { values: unknown[]; conflicts: number; example: string; unknown: number } {
  const keys = columnValues(products, key);
  const cats = columnValues(products, category);
  const lookup = new Map<string, unknown>();
  let conflicts = 0;
  let example = '';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (isMissing(k)) continue;
    const id = String(k);
    const c = cats[i];
    if (!lookup.has(id)) lookup.set(id, c);
    else if (lookup.get(id) !== c) {
      conflicts++;
      if (example === '') example = id;
    }
  }
  let unknown = 0;
  const categoryOf = (i: number): unknown => {
    const p = productIds[i];
    if (isMissing(p)) return null;
    const id = String(p);
    if (!lookup.has(id)) {
      unknown++;
      return null;
    }
    return lookup.get(id) ?? null;
  };
  let values: unknown[];
  if (rows === null) values = Array.from({ length: productIds.length }, (_, i) => categoryOf(i));
  else {
    values = new Array<unknown>(productIds.length).fill(null);
    for (let k = 0; k < rows.length; k++) values[rows[k]!] = categoryOf(rows[k]!);
  }
  return { values, conflicts, example, unknown };
}

/** The features node. */
export const features = defineNode({
  kind: 'features',
  version: 1,
  label: 'Customer features',
  category: 'features',
  description: 'Per-customer recency, frequency, monetary value, tenure, basket value, distinct products and category shares from transactions.',
  inputs: { table: 'table', products: optional('table', 'Products (id → category)') },
  outputs: { table: 'table' },
  params: {
    customer: column('', { label: 'Customer id', help: 'Keeps its name in the output.' }),
    invoice: column('', { optional: true, label: 'Invoice id', help: 'frequency counts distinct invoices; empty: distinct purchase days.' }),
    time: column('', { label: 'Purchase time', help: 'Dates, or date text.' }),
    quantity: column('', { numeric: true, optional: true, label: 'Quantity', help: 'Empty: 1 per row.' }),
    price: column('', { numeric: true, optional: true, label: 'Unit price', help: 'Empty: 1, so monetary counts units (or rows). With quantity empty, a line amount column here makes monetary the total spent.' }),
    product: column('', { optional: true, label: 'Product id', help: 'Adds distinct_products; joins categories from the products input.' }),
    category: column('', { optional: true, label: 'Category', help: 'Adds share_<category> columns; read from the products input when it is connected.' }),
    productKey: column('', { optional: true, from: 'products', label: 'Product id in products', help: 'Empty: the same name as the product column.' }),
    referenceDate: date('', { label: 'Reference date', help: 'Empty: the history cutoff when one is set, else the latest purchase plus one day.' }),
    cutoff: date('', { label: 'History before', help: 'Only rows before this day (the day itself not included) count: the customers as they were at a sequence cutoff, with nothing from the label window after it, for a model to use beside the sequences. Empty: every row.' }),
    wholeDays: boolean(true, { label: 'Whole days', help: 'Recency and tenure in whole days (rounded down), as pandas’ .days; off: fractional days.' }),
    maxCategories: integer(12, { label: 'Most category shares', min: 1, max: 100, help: 'Other categories are summed into share_other.' }),
  },
  messages,
  zh: {
    label: '特征工程',
    description: '由交易记录计算每位客户的 RFM 等特征。',
    params: {
      customer: { label: '客户 ID', help: '在输出中保留原列名。' },
      invoice: { label: '发票（订单）ID', help: 'frequency 统计不同发票的个数；留空：统计不同的购买日。' },
      time: { label: '购买时间', help: '日期，或日期文本。' },
      quantity: { label: '数量', help: '留空：每行计 1。' },
      price: { label: '单价', help: '留空：计 1，monetary 即件数（或行数）。数量留空时，在此选择行金额列，monetary 即消费总额。' },
      product: { label: '商品 ID', help: '增加 distinct_products 列；并从 products 输入关联品类。' },
      category: { label: '品类', help: '增加 share_<category> 列；连接了 products 输入时从中读取。' },
      productKey: { label: 'products 中的商品 ID', help: '留空：与商品列同名。' },
      referenceDate: { label: '参考日期', help: '留空：设置了历史截止日期时为该日期，否则为最近一次购买的次日。' },
      cutoff: { label: '历史截止日期', help: '只统计这一天之前的行（不含当天）：即客户在序列截止日期时的状态，不含其后标签窗口中的任何数据，供模型在序列之外使用。留空：使用所有行。' },
      wholeDays: { label: '按整天计', help: '最近购买间隔（recency）与客户存续时长（tenure）按整天计（向下取整），同 pandas 的 .days；关闭时为带小数的天数。' },
      maxCategories: { label: '品类占比列数上限', help: '其余品类合并计入 share_other。' },
    },
    messages: {
      notNumeric: '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
      notTime: '参数 "time" 中的列 {column} 必须是日期或时间；其中没有任何单元格能读作日期或时间（如 {example}）。',
      sameColumn: '参数 {first} 和 {second} 都指定了列 {column}；请选择不同的列。',
      skippedCustomer: '{count} 行没有客户 ID，已排除。',
      skippedTime: '{count} 行在列 {column} 中没有可读的时间（如 {example}），已排除。',
      skippedAmount: '{count} 行缺少数量或单价；它们计入 frequency，但不计入 monetary。',
      skippedInvoice: '{count} 行没有发票 ID；它们不计入 frequency。',
      afterReference: '{count} 位客户在参考日期 {reference} 之后有购买；他们的 recency_days 为负数。',
      noTransactions: '没有可用于计算特征的交易记录；输出为空。',
      nonPositiveSpend: '{count} 位客户的总消费额为 0 或更少，因此他们的品类占比为缺失值。',
      categoriesGrouped: '列 {column} 有 {count} 个品类；总消费额最大的 {kept} 个品类各有自己的占比列，其余计入 share_other。',
      chooseColumn: '参数 {param} 为空；请选择 {what} 列。',
      categoryNeedsProducts: '参数 "category" 指定的 {column} 既不在交易表中，也不在 products 表中。',
      productKeyNeeded: '要从 products 表关联品类，请设置参数 "product"（交易记录中的商品 ID 列）。',
      conflictingCategories: '{count} 个商品 ID 在 products 表中有不止一个品类（如 {example}）；使用最先列出的那个。',
      unknownProducts: '{count} 行交易的商品 ID 不在 products 表中；这些行没有品类，其消费额计入 monetary，但不计入任何占比列。',
    },
  },
  async run({ table, products }, params, ctx) {
    return declaredErrors(ctx, messages, () => {
      const required = [
        ['customer', 'customer id'],
        ['time', 'purchase time'],
      ] as const;
      for (const [param, what] of required) if (params[param] === '') ctx.fail('chooseColumn', { param, what }, param);
      const chosen = (['customer', 'invoice', 'time', 'quantity', 'price'] as const).filter((param) => params[param] !== '');
      for (const param of chosen) requireColumns(table, [params[param]], param);
      for (let a = 0; a < chosen.length; a++) {
        for (let b = a + 1; b < chosen.length; b++) {
          const pa = chosen[a]!;
          const pb = chosen[b]!;
          if (params[pa] === params[pb]) ctx.fail('sameColumn', { first: pa, second: pb, column: params[pa] }, pb);
        }
      }
      if (params.product !== '') requireColumns(table, [params.product], 'product');
      // The columns as stored, read through the table's selection (clean's output shares its
      // input's columns): nothing is materialised.
      const categoryHere = params.category !== '' && !(products && products.columnNames().includes(params.category)) && table.columnNames().includes(params.category);
      const wanted = [...chosen.map((param) => params[param]), ...(params.product !== '' ? [params.product] : []), ...(categoryHere ? [params.category] : [])];
      const stored = storedColumns(table, wanted);
      const { rows, length } = stored;
      const read = (name: string): Values => stored.columns[wanted.indexOf(name)]!;
      const ones = (): Float64Array => new Float64Array(length).fill(1);
      // Without an invoice column each purchase day is one visit.
      const dayOf = (): (string | null)[] => Array.from(read(params.time), (v) => {
        const ms = toEpochMs(v);
        return ms === null ? null : isoDay(ms);
      });
      let category: Values | undefined;
      if (params.category !== '') {
        if (products && products.columnNames().includes(params.category)) {
          if (params.product === '') return ctx.fail('productKeyNeeded', {}, 'product');
          const key = params.productKey === '' ? params.product : params.productKey;
          requireColumns(products, [key], 'productKey');
          const joined = joinCategories(products, key, params.category, read(params.product), rows);
          if (joined.conflicts > 0) ctx.warn('conflictingCategories', { count: joined.conflicts, example: joined.example });
          if (joined.unknown > 0) ctx.warn('unknownProducts', { count: joined.unknown });
          category = joined.values;
        } else if (table.columnNames().includes(params.category)) {
          category = read(params.category);
        } else {
          return ctx.fail('categoryNeedsProducts', { column: params.category }, 'category');
        }
      }
      ctx.progress(0.1, 'per-customer features');
      const result = customerFeatures(
        {
          customer: read(params.customer),
          invoice: params.invoice === '' ? dayOf() : read(params.invoice),
          time: read(params.time),
          quantity: params.quantity === '' ? ones() : read(params.quantity),
          price: params.price === '' ? ones() : read(params.price),
          ...(params.product !== '' ? { product: read(params.product) } : {}),
          ...(category ? { category } : {}),
          rows,
        },
        {
          referenceMs: params.referenceDate === '' ? null : dayStartMs(params.referenceDate),
          beforeMs: params.cutoff === '' ? null : dayStartMs(params.cutoff),
          wholeDays: params.wholeDays,
          maxCategories: params.maxCategories,
          names: { time: params.time, quantity: params.quantity, price: params.price, category: params.category },
        },
      );
      emitNotes(ctx, result.notes);
      const names = [params.customer, ...result.columns.map((c) => c.name)];
      const out = makeTable(names, [result.ids, ...result.columns.map((c) => numberColumn(c.values))]);
      return { table: out };
    });
  },
  summary: (out, params) => `${out.table.numRows().toLocaleString('en')} customers × ${out.table.numCols() - 1} features${params.cutoff === '' ? '' : ` · before ${params.cutoff}`}`,
});
