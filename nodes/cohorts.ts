/**
 * Cohorts: acquisition cohorts by the month or week of each customer's first purchase, × the
 * periods since (src/data/cohorts.ts): customers active, retention %, revenue, revenue per
 * cohort customer and per active customer. Outputs a long table (one row per cohort and period
 * since) and a matrix (one row per cohort, a retention column per period since) for heat maps.
 */
import { cohortMessages, cohortOutputs, cohortPeriods, cohortTable, purchasesFromCells } from '../src/data/cohorts.ts';
import { cellKey } from '../src/data/cells.ts';
import { toEpochMs } from '../src/data/dates.ts';
import { declaredErrors } from '../src/data/issues.ts';
import { column, defineNode, integer, oneOf, requireColumns } from './define.ts';

const messages = { ...cohortMessages };

/** The cohorts node. */
export const cohorts = defineNode({
  kind: 'cohorts',
  version: 1,
  label: 'Cohorts',
  category: 'evaluate',
  description: 'Acquisition cohorts by first-purchase month or week × periods since: customers active, retention % and revenue per customer.',
  inputs: { table: 'table' },
  outputs: { table: 'table', matrix: 'table' },
  params: {
    customerColumn: column('customer_id', { label: 'Customer column' }),
    timeColumn: column('timestamp', { label: 'Time column', help: 'Read as UTC.' }),
    priceColumn: column('unit_price', { label: 'Price (value) column', optional: true, help: 'Revenue of a row = price × quantity; rows with revenue ≤ 0 (returns) are left out. Empty with an empty quantity: every row is a purchase and revenue is 0.' }),
    quantityColumn: column('quantity', { label: 'Quantity column', optional: true, help: 'Empty: quantity 1.' }),
    period: oneOf(cohortPeriods, 'month', { label: 'Period', help: 'month: UTC calendar months; week: ISO weeks from Monday.' }),
    maxPeriods: integer(12, { label: 'Periods in the matrix', min: 1, max: 520, help: 'Columns p0 … p(N−1) of the matrix; the long table keeps every period.' }),
  },
  messages,
  zh: {
    label: '同期群',
    description: '按首次购买的月份或周划分获客同期群 × 此后的期数：活跃客户数、留存率与每客户收入。',
    params: {
      customerColumn: { label: '客户列' },
      timeColumn: { label: '时间列', help: '按 UTC 读取。' },
      priceColumn: { label: '价格（金额）列', help: '一行的收入 = 价格 × 数量；收入 ≤ 0 的行（退货）不计入。价格与数量都留空：每行都算一次购买，收入为 0。' },
      quantityColumn: { label: '数量列', help: '留空：数量为 1。' },
      period: { label: '周期', help: 'month：UTC 自然月；week：从周一开始的 ISO 周。' },
      maxPeriods: { label: '矩阵中的期数', help: '矩阵的列 p0 … p(N−1)；长表保留所有期。' },
    },
    messages: {
      notNumeric: '列 {column} 必须是数值；第 {row} 行的值为 {value}。',
      badTime: '时间列 {column} 第 {row} 行的值为 {value}，不是日期或时间。',
      skippedRows: '{rows} 行中有 {skipped} 行未计入：{missing} 行缺少客户或时间，{nonPositive} 行金额缺失或 ≤ 0（退货）。',
      noPurchases: '没有可用于划分同期群的购买记录；输出表为空。',
    },
  },
  async run({ table }, p, ctx) {
    return declaredErrors(ctx, messages, () => {
      requireColumns(table, [p.customerColumn], 'customerColumn');
      requireColumns(table, [p.timeColumn], 'timeColumn');
      if (p.priceColumn !== '') requireColumns(table, [p.priceColumn], 'priceColumn');
      if (p.quantityColumn !== '') requireColumns(table, [p.quantityColumn], 'quantityColumn');
      const rows = table.numRows();
      const getter = (name: string) => (name === '' ? null : { column: name, get: table.getter(name) });
      const purchases = purchasesFromCells(rows, table.getter(p.customerColumn), { column: p.timeColumn, get: table.getter(p.timeColumn), toTime: (v) => toEpochMs(typeof v === 'string' ? v.trim() : v) }, getter(p.priceColumn), getter(p.quantityColumn), cellKey);
      const c = cohortTable(purchases, p.period);
      const skipped = c.missing + c.nonPositive;
      if (skipped > 0) ctx.warn('skippedRows', { skipped, rows, missing: c.missing, nonPositive: c.nonPositive });
      if (c.cohorts.length === 0) ctx.warn('noPurchases');
      return cohortOutputs(c, p.period, p.maxPeriods);
    });
  },
  summary: (out) => `${out.matrix.numRows()} cohorts · ${out.table.numRows()} cohort-periods`,
});
