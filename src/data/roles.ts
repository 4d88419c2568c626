/**
 * Shape and column-role detection for the guided start: from a loaded table (and, for ragged
 * baskets, the file's first lines) decide whether it is a transactions or events log, one row
 * per customer, or baskets, and which column plays which role. Every guess carries a
 * confidence in [0, 1] and a one-line reason. Names are matched in English and Chinese, in any
 * case, with or without separators (`CustomerID`, `customer_id`, `Customer ID`, `客户编号`);
 * content rules (unique per row, date-like, positive numbers, low-cardinality text) confirm,
 * veto or, when no name matches, supply the guess. Knows nothing of nodes.
 */
import type { ColumnTable } from 'arquero';
import { isMissing } from './columns.ts';
import { toEpochMs } from './dates.ts';
import { parseLooseNumber } from './numbers.ts';
import { compactDay, compactMonth, DEFAULT_DAY_ZERO, type NumberDateForm } from './number-dates.ts';
import { splitLine, type Delimiter } from './csv.ts';

/** The roles a column can play. */
export const ROLE_NAMES = ['customer', 'time', 'invoice', 'quantity', 'price', 'amount', 'product', 'category', 'event', 'label', 'basket', 'item'] as const;

/** One role. */
export type RoleName = (typeof ROLE_NAMES)[number];

/** The shapes a file can have. */
export type Shape = 'transactions' | 'customers' | 'baskets';

/** How baskets are written: one basket per line (ragged) or basket/item pairs (long). */
export type BasketLayout = 'ragged' | 'long';

/** What the content of one column looks like (from a sample of at most `sampleRows` rows). */
export interface ColumnProfile {
  /** Column name as in the file. */
  name: string;
  /** Rows looked at. */
  rows: number;
  /** Non-missing cells among them. */
  filled: number;
  /** Distinct non-missing values among them. */
  distinct: number;
  /** Share of filled cells that read as dates (Date cells or date text; numbers never do). */
  dateShare: number;
  /** Share of filled cells that are finite numbers or text that reads as one ("1,234.50"). */
  numberShare: number;
  /** Some numeric cells are text: the column needs reading as numbers before arithmetic. */
  numbersAsText: boolean;
  /** Share of numeric cells that are above 0. */
  positiveShare: number;
  /** Share of numeric cells that are whole numbers. */
  integerShare: number;
  /** Two distinct values, both 0/1, true/false, yes/no (any case) or a boolean column. */
  binary: boolean;
  /** The value read as 1 when binary (e.g. `yes`, `1`, `true`), else null. */
  positive: string | null;
  /** Smallest numeric cell (NaN when none). */
  min: number;
  /** Largest numeric cell (NaN when none). */
  max: number;
  /** Share of numeric cells that are compact `YYYYMMDD` dates (19970101; month and day range-checked). */
  compactDateShare: number;
  /** Share of numeric cells that are compact `YYYYMM` months (199701). */
  yearMonthShare: number;
}

/** A column guessed for a role. */
export interface RoleGuess {
  /** The role. */
  role: RoleName;
  /** The column. */
  column: string;
  /** How sure the guess is, 0–1. */
  confidence: number;
  /** Why, in one line. */
  reason: string;
  /** For a time column of numbers: how they read as dates (see src/data/number-dates.ts). */
  form?: NumberDateForm;
}

/** What `detectRoles` returns. */
export interface Detection {
  /** The shape, or null when none fits. */
  shape: Shape | null;
  /** Basket layout when the shape is baskets. */
  layout: BasketLayout | null;
  /** Why this shape, in one line. */
  reason: string;
  /** When no shape fits: what is missing, in one line. */
  missing: string | null;
  /** The role guesses, at most one column per role and one role per column. */
  roles: RoleGuess[];
  /** Profiles of every column. */
  profiles: ColumnProfile[];
}

/** Choices a person made that override detection. */
export interface RoleOverrides {
  /** The binary label column (makes the file a customer table). */
  label?: string;
  /** The customer (or basket) id column. */
  id?: string;
}

/** The lower-case name with every separator removed (letters and digits of any script stay). */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Names per role: `exact` matches the whole normalised name, `part` a piece of it. */
const NAMES: Record<RoleName, { exact: readonly string[]; part: readonly string[] }> = {
  customer: {
    exact: ['customerid', 'customer', 'custid', 'cust', 'customerno', 'customernumber', 'customercode', 'clientid', 'client', 'userid', 'user', 'memberid', 'member', 'membernumber', 'householdkey', 'household', 'householdid', 'accountid', 'account', 'buyerid', 'shopperid', 'personid', 'uid', '客户编号', '客户id', '客户', '客户号', '客户代码', '用户id', '用户', '用户编号', '会员编号', '会员id', '会员', '顾客', '顾客编号', '买家id', '家庭编号', '家庭', '家庭id', '住户编号', '住户', '户号'],
    part: ['customer', 'client', 'household', 'member', 'shopper', 'buyer', '客户', '用户', '会员', '顾客', '家庭', '住户'],
  },
  time: {
    exact: ['invoicedate', 'transactiondate', 'orderdate', 'purchasedate', 'date', 'datetime', 'timestamp', 'time', 'eventtime', 'eventdate', 'day', 'ts', 'createdat', '交易日期', '交易时间', '日期', '时间', '下单时间', '下单日期', '购买日期', '购买时间', '订单日期', '订单时间', '消费日期', '消费时间'],
    part: ['date', 'time', 'timestamp', '日期', '时间'],
  },
  invoice: {
    exact: ['invoiceno', 'invoiceid', 'invoice', 'invoicenumber', 'orderid', 'order', 'orderno', 'ordernumber', 'receipt', 'receiptid', 'transactionid', 'txnid', 'transaction', 'ticketid', 'basketid', '订单编号', '订单号', '订单id', '发票号', '发票编号', '单号', '小票号', '交易编号', '交易号', '流水号', '购物篮编号', '购物篮'],
    part: ['invoice', 'order', 'receipt', 'transaction', '订单', '发票', '小票', '流水', '购物篮'],
  },
  quantity: {
    exact: ['quantity', 'qty', 'units', 'unitssold', 'quantitysold', 'numberofitems', 'items', 'count', 'amountofitems', 'cds', 'numcds', 'orderproducts', 'numproducts', 'productcount', 'itemcount', 'numitems', '数量', '件数', '购买数量', '销量'],
    part: ['quantity', 'qty', '数量'],
  },
  price: {
    exact: ['unitprice', 'price', 'itemprice', 'priceeach', 'rate', '单价', '价格', '商品单价'],
    part: ['price', '单价', '价格'],
  },
  amount: {
    exact: ['amount', 'sales', 'revenue', 'total', 'totalprice', 'spend', 'spent', 'value', 'linetotal', 'salesamount', 'dollarvalue', 'dollars', 'payment', 'monetary', '金额', '销售额', '总价', '消费金额', '支付金额', '实付金额', '总金额'],
    part: ['amount', 'sales', 'spend', 'dollar', 'total', '金额', '销售额'],
  },
  product: {
    exact: ['stockcode', 'productid', 'product', 'productcode', 'sku', 'itemid', 'item', 'itemcode', 'article', 'articleid', 'itemdescription', 'description', 'productname', 'goods', '商品编号', '商品', '产品', '商品id', '产品编号', '商品名称', '产品名称', '货号'],
    part: ['product', 'sku', 'stock', 'article', 'item', '商品', '产品'],
  },
  category: {
    exact: ['category', 'productcategory', 'department', 'dept', 'categoryname', 'aisle', 'class', 'segment', 'type', '类别', '品类', '分类', '商品类别', '类目'],
    part: ['category', 'department', '类别', '品类', '分类', '类目'],
  },
  event: {
    exact: ['event', 'eventtype', 'action', 'eventname', 'activity', '事件', '行为', '行为类型', '事件类型'],
    part: ['event', 'action', '事件', '行为'],
  },
  label: {
    exact: ['label', 'target', 'churn', 'churned', 'response', 'responded', 'purchased', 'converted', 'conversion', 'bought', 'revenue', 'y', 'outcome', 'class', 'default', 'subscribed', 'exited', 'attrition', '标签', '是否购买', '流失', '是否流失', '响应', '是否响应', '目标'],
    part: ['churn', 'label', 'target', 'response', 'purchased', 'converted', '标签', '是否', '流失'],
  },
  basket: {
    exact: ['basketid', 'basket', 'cartid', 'cart', 'basketno', 'transactionid', 'orderid', 'invoiceno', 'invoice', 'receiptid', '购物篮', '购物篮编号', '订单编号', '订单号'],
    part: ['basket', 'cart', '购物篮'],
  },
  item: {
    exact: ['item', 'items', 'itemname', 'product', 'productname', 'itemdescription', 'description', 'article', 'goods', 'sku', '商品', '商品名称', '产品', '物品'],
    part: ['item', 'product', '商品'],
  },
};

const BINARY_WORDS = new Map<string, 0 | 1>([
  ['0', 0], ['1', 1], ['false', 0], ['true', 1], ['no', 0], ['yes', 1], ['n', 0], ['y', 1], ['f', 0], ['t', 1], ['否', 0], ['是', 1],
]);

/** Most rows a profile looks at (evenly spaced through the table). */
export const PROFILE_ROWS = 20_000;

/** Profiles every column of a table from an evenly spaced sample of at most `sampleRows` rows. */
export function profileColumns(table: ColumnTable, sampleRows = PROFILE_ROWS): ColumnProfile[] {
  const n = table.numRows();
  const take = Math.min(n, sampleRows);
  const stride = take > 0 ? n / take : 1;
  return table.columnNames().map((name) => {
    const get = table.getter(name);
    const seen = new Set<string>();
    const lower = new Set<string>();
    let filled = 0;
    let dates = 0;
    let numbers = 0;
    let positive = 0;
    let whole = 0;
    let booleans = 0;
    let textNumbers = 0;
    let min = Infinity;
    let max = -Infinity;
    let compact = 0;
    let yearMonth = 0;
    const numeric = (x: number): void => {
      numbers++;
      if (x > 0) positive++;
      if (Number.isInteger(x)) whole++;
      if (x < min) min = x;
      if (x > max) max = x;
      if (compactDay(x) !== null) compact++;
      if (compactMonth(x) !== null) yearMonth++;
    };
    for (let k = 0; k < take; k++) {
      const v: unknown = get(Math.floor(k * stride));
      if (isMissing(v)) continue;
      filled++;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) numeric(v);
        seen.add(String(v));
        lower.add(String(v));
        continue;
      }
      if (v instanceof Date) {
        dates++;
        seen.add(String(v.getTime()));
        continue;
      }
      if (typeof v === 'boolean') {
        booleans++;
        seen.add(String(v));
        lower.add(String(v));
        continue;
      }
      const text = String(v).trim();
      seen.add(text);
      lower.add(text.toLowerCase());
      if (typeof v !== 'string') continue;
      if (toEpochMs(text) !== null) dates++;
      else {
        const x = parseLooseNumber(text);
        if (x !== null && Number.isFinite(x)) {
          numeric(x);
          textNumbers++;
        }
      }
    }
    const words = [...lower];
    const binary = (booleans === filled && filled > 0 && seen.size === 2) || (seen.size === 2 && words.length === 2 && words.every((w) => BINARY_WORDS.has(w)) && new Set(words.map((w) => BINARY_WORDS.get(w))).size === 2);
    const positiveWord = binary ? (words.find((w) => BINARY_WORDS.get(w) === 1) ?? null) : null;
    return {
      name,
      rows: take,
      filled,
      distinct: seen.size,
      dateShare: filled > 0 ? dates / filled : 0,
      numberShare: filled > 0 ? numbers / filled : 0,
      numbersAsText: textNumbers > 0,
      positiveShare: numbers > 0 ? positive / numbers : 0,
      integerShare: numbers > 0 ? whole / numbers : 0,
      binary,
      positive: positiveWord,
      min: numbers > 0 ? min : Number.NaN,
      max: numbers > 0 ? max : Number.NaN,
      compactDateShare: numbers > 0 ? compact / numbers : 0,
      yearMonthShare: numbers > 0 ? yearMonth / numbers : 0,
    };
  });
}

/** How a column's name matches a role: 'exact', 'part' or null. */
export function nameMatch(role: RoleName, column: string): 'exact' | 'part' | null {
  const name = normaliseName(column);
  if (name === '') return null;
  const dictionary = NAMES[role];
  if (dictionary.exact.includes(name)) return 'exact';
  if (dictionary.part.some((p) => name.includes(p))) return 'part';
  return null;
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function count(n: number): string {
  return n.toLocaleString('en');
}

/** A scored candidate: confidence and reason (a number form for times, a tie-break), or null when the content rules it out. */
type Candidate = { confidence: number; reason: string; form?: NumberDateForm; tiebreak?: number } | null;

/** Names a file without a header row gets (`col1`, …) or an empty one: only content can tell the role. */
export function genericName(name: string): boolean {
  return /^(col(umn)?[_ ]?\d+)?$/i.test(name.trim());
}

const DAY_NUMBER_NAMES = ['day', 'dayno', 'daynumber', 'daynum', 'dayindex', 'dayid', 'days', 'dayoffset', '天', '天数', '第几天', '天序号'];
const WEEK_NUMBER_NAMES = ['week', 'weekno', 'weeknumber', 'weeknum', 'weekid', 'weekindex', 'wk', '周', '周次', '周序号'];
const MONTH_NAMES = ['month', 'yearmonth', 'period', 'yyyymm', 'monthid', '月份', '年月'];

/** A time column written as whole numbers: compact YYYYMMDD or YYYYMM dates, or day or week numbers (by name and range). */
function numberTime(p: ColumnProfile, n: { score: number; text: string }): Candidate {
  if (p.numberShare < 0.95 || p.integerShare < 0.99 || p.distinct < 2) return null;
  const range = `${p.min} to ${p.max}`;
  const name = normaliseName(p.name);
  if (p.compactDateShare >= 0.99) {
    return { confidence: Math.min(0.95, 0.55 + n.score * 0.6), reason: join(n.text, `${pct(p.compactDateShare)} of cells are YYYYMMDD dates written as whole numbers (${range}; months 1–12, days within their month)`), form: 'yyyymmdd' };
  }
  if (p.yearMonthShare >= 0.99 && (n.score > 0 || MONTH_NAMES.includes(name))) {
    return { confidence: Math.min(0.9, 0.5 + Math.max(n.score, 0.4) * 0.6), reason: join(n.text || `name "${p.name}" reads as a month`, `${pct(p.yearMonthShare)} of cells are YYYYMM months written as whole numbers (${range})`), form: 'yyyymm' };
  }
  if (DAY_NUMBER_NAMES.includes(name) && p.min >= 0 && p.max > 31 && p.max <= 100_000) {
    return { confidence: 0.7, reason: `name "${p.name}" and whole numbers ${range} (above 31, so not a day of the month): a day number, read as days after day 0 = ${DEFAULT_DAY_ZERO}`, form: 'day-number' };
  }
  if (WEEK_NUMBER_NAMES.includes(name) && p.min >= 1 && p.max <= 5_300) {
    return { confidence: 0.6, reason: `name "${p.name}" and whole numbers ${range}: a week number, week 1 starting the day after day 0 = ${DEFAULT_DAY_ZERO}`, form: 'week-number' };
  }
  return null;
}

function named(role: RoleName, p: ColumnProfile): { score: number; text: string } {
  const match = nameMatch(role, p.name);
  if (match === 'exact') return { score: 0.6, text: `name "${p.name}" reads as ${role}` };
  if (match === 'part') return { score: 0.4, text: `name "${p.name}" contains a ${role} word` };
  return { score: 0, text: '' };
}

function join(...parts: string[]): string {
  return parts.filter((s) => s !== '').join('; ');
}

const isIdLike = (p: ColumnProfile): boolean => p.dateShare < 0.5 && (p.numberShare < 0.5 || p.integerShare > 0.99);
const repeats = (p: ColumnProfile): boolean => p.filled > 0 && p.distinct < 0.9 * p.filled;
const uniquePerRow = (p: ColumnProfile): boolean => p.filled > 0 && p.distinct === p.filled && p.filled >= 0.95 * p.rows;

/** Scores one column for one role in a given shape. */
function candidate(role: RoleName, p: ColumnProfile, shape: Shape): Candidate {
  const n = named(role, p);
  const cells = `${count(p.distinct)} distinct values in ${count(p.filled)} sampled cells`;
  switch (role) {
    case 'customer': {
      if (!isIdLike(p) || p.distinct < 2) return null;
      if (shape === 'customers') {
        if (!uniquePerRow(p)) return null;
        const generic = normaliseName(p.name) === 'id';
        const score = (n.score > 0 ? n.score : generic ? 0.5 : 0) + 0.35;
        if (score < 0.5) return null;
        return { confidence: Math.min(0.97, score), reason: join(n.text || (generic ? `name "${p.name}"` : ''), `unique per row (${cells})`) };
      }
      if (!repeats(p)) return n.score > 0 ? { confidence: 0.3, reason: join(n.text, `but unique per row (${cells}): not a repeated customer id`) } : null;
      const content = `repeats over rows (${cells})`;
      if (n.score > 0) return { confidence: Math.min(0.97, n.score + 0.35), reason: join(n.text, content) };
      // A log's bare "id" that repeats is whose row it is (CDNOW's header: id date cds amount).
      if (normaliseName(p.name) === 'id') return { confidence: 0.55, reason: `name "${p.name}" and an id that ${content}: the customer whose rows they are`, tiebreak: p.distinct };
      // Without names (no header row) content decides: of the repeating id-like columns, the one with most distinct values.
      if (genericName(p.name)) return { confidence: 0.55, reason: `no header, so by content: an id that ${content}, the most distinct values of the whole-number or code columns`, tiebreak: p.distinct };
      return { confidence: 0.4, reason: `no customer-like name; ${content}`, tiebreak: p.distinct };
    }
    case 'time': {
      if (p.dateShare < 0.9) return numberTime(p, n);
      const content = `${pct(p.dateShare)} of cells read as dates`;
      return { confidence: Math.min(0.98, 0.6 + n.score * 0.6 + 0.02), reason: join(n.text, content) };
    }
    case 'invoice':
    case 'basket': {
      // "order_products" holds a count of products, not an order id.
      if (!isIdLike(p) || n.score === 0 || nameMatch('quantity', p.name) === 'exact') return null;
      if (!repeats(p)) return { confidence: 0.4, reason: join(n.text, `unique per row (${cells}): one line per ${role}`) };
      return { confidence: Math.min(0.95, n.score + 0.3), reason: join(n.text, `repeats over rows (${cells})`) };
    }
    case 'quantity':
    case 'price':
    case 'amount': {
      if (p.numberShare < 0.95) return null;
      if (n.score === 0) return unnamedMeasure(role, p);
      const shape_ = role === 'quantity' ? p.integerShare >= 0.95 : true;
      const content = `${pct(p.numberShare)} numbers, ${pct(p.positiveShare)} above 0${role === 'quantity' ? `, ${pct(p.integerShare)} whole` : ''}`;
      return { confidence: Math.min(0.95, n.score + (shape_ ? 0.3 : 0.1) + (p.positiveShare >= 0.9 ? 0.05 : 0)), reason: join(n.text, content) };
    }
    case 'product':
    case 'item': {
      if (n.score === 0 || p.dateShare > 0.5 || p.distinct < 2 || nameMatch('quantity', p.name) === 'exact') return null;
      if (p.numberShare > 0.5 && p.integerShare < 0.99) return null;
      return { confidence: Math.min(0.95, n.score + (repeats(p) ? 0.3 : 0.1)), reason: join(n.text, `${cells}${repeats(p) ? ', repeated' : ''}`) };
    }
    case 'category':
    case 'event': {
      if (n.score === 0 || p.numberShare > 0.5 || p.dateShare > 0.5) return null;
      const low = p.distinct >= 2 && p.distinct <= 200;
      if (!low) return null;
      return { confidence: Math.min(0.9, n.score + 0.25), reason: join(n.text, `low-cardinality text (${count(p.distinct)} values)`) };
    }
    case 'label': {
      if (!p.binary) return null;
      const content = `two values${p.positive ? ` (positive: ${p.positive})` : ''}`;
      if (n.score > 0) return { confidence: Math.min(0.95, n.score + 0.35), reason: join(n.text, content) };
      return { confidence: 0.4, reason: `no label-like name; ${content}` };
    }
    default: {
      const never: never = role;
      return never;
    }
  }
}

/** Without a header row: whole positive numbers up to 10,000 read as a quantity, positive decimals as an amount. */
function unnamedMeasure(role: 'quantity' | 'price' | 'amount', p: ColumnProfile): Candidate {
  if (!genericName(p.name) || p.positiveShare < 0.9) return null;
  const range = `${p.min} to ${p.max}`;
  if (role === 'quantity' && p.integerShare >= 0.99 && p.max <= 10_000 && p.distinct <= 1_000) return { confidence: 0.45, reason: `no header, so by content: whole numbers ${range}, ${pct(p.positiveShare)} above 0, few distinct (${count(p.distinct)}): a quantity` };
  if (role === 'amount' && p.integerShare < 0.9) return { confidence: 0.45, reason: `no header, so by content: numbers with decimals ${range}, ${pct(p.positiveShare)} above 0: an amount (a line's total)` };
  return null;
}

/** The roles each shape looks for, in the order they claim columns. */
const SHAPE_ROLES: Record<Shape, readonly RoleName[]> = {
  transactions: ['time', 'customer', 'invoice', 'quantity', 'price', 'amount', 'product', 'category', 'event'],
  customers: ['label', 'customer'],
  baskets: ['basket', 'item'],
};

/** Assigns the best column to each role of a shape, one role per column; overrides are taken as given. */
export function assignRoles(profiles: readonly ColumnProfile[], shape: Shape, fixed: Partial<Record<RoleName, string>> = {}): RoleGuess[] {
  const taken = new Set<string>(Object.values(fixed));
  const guesses: RoleGuess[] = [];
  for (const [role, column] of Object.entries(fixed)) {
    if (column === undefined) continue;
    const r = ROLE_NAMES.find((name) => name === role);
    if (r) guesses.push({ role: r, column, confidence: 1, reason: 'chosen by you' });
  }
  for (const role of SHAPE_ROLES[shape]) {
    if (Object.hasOwn(fixed, role)) continue;
    let best: RoleGuess | null = null;
    let bestTie = -Infinity;
    for (const [index, p] of profiles.entries()) {
      if (taken.has(p.name)) continue;
      const c = candidate(role, p, shape);
      if (!c || c.confidence < 0.35) continue;
      // Ties: labels are conventionally the last column; content-only ids, the most distinct.
      const tie = role === 'label' ? index : (c.tiebreak ?? -index);
      const confidence = round2(c.confidence);
      if (!best || confidence > best.confidence || (confidence === best.confidence && tie > bestTie)) {
        best = { role, column: p.name, confidence, reason: c.reason, ...(c.form !== undefined ? { form: c.form } : {}) };
        bestTie = tie;
      }
    }
    if (best) {
      guesses.push(best);
      taken.add(best.column);
    }
  }
  return guesses;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** How a column reads as the time (dates, or numbers in a form), or null when it does not. */
export function timeGuess(profile: ColumnProfile): { confidence: number; reason: string; form?: NumberDateForm } | null {
  return candidate('time', profile, 'transactions');
}

/** The guess for a role, if any. */
export function roleColumn(roles: readonly RoleGuess[], role: RoleName): string | undefined {
  return roles.find((r) => r.role === role)?.column;
}

/** Detects the shape of a loaded table and the role of its columns (see the file header). */
export function detectRoles(table: ColumnTable, overrides: RoleOverrides = {}, ragged: RaggedEvidence | null = null): Detection {
  const profiles = profileColumns(table);
  const names = new Set(table.columnNames());
  for (const [what, column] of Object.entries(overrides)) {
    if (column !== undefined && !names.has(column)) {
      return { shape: null, layout: null, reason: '', missing: `--${what} names column ${JSON.stringify(column)}, which the file does not have (columns: ${[...names].join(', ')})`, roles: [], profiles };
    }
  }
  if (ragged && ragged.ragged && overrides.label === undefined) {
    return { shape: 'baskets', layout: 'ragged', reason: ragged.reason, missing: null, roles: [], profiles };
  }
  if (overrides.label !== undefined) {
    const p = profiles.find((q) => q.name === overrides.label);
    if (p && !p.binary) return { shape: null, layout: null, reason: '', missing: `--label names column ${JSON.stringify(overrides.label)}, which has ${count(p.distinct)} distinct values; a label needs exactly two (0/1, yes/no, true/false)`, roles: [], profiles };
    const fixed: Partial<Record<RoleName, string>> = { label: overrides.label };
    if (overrides.id !== undefined) fixed.customer = overrides.id;
    const roles = assignRoles(profiles, 'customers', fixed);
    return { shape: 'customers', layout: null, reason: `--label ${overrides.label}: one row per customer with a binary label${rowIds(roles)}`, missing: null, roles, profiles };
  }

  // A transactions or events log: a date-like column and a customer id that repeats.
  const txFixed: Partial<Record<RoleName, string>> = overrides.id !== undefined ? { customer: overrides.id } : {};
  const tx = assignRoles(profiles, 'transactions', txFixed);
  const time = tx.find((r) => r.role === 'time');
  const customer = tx.find((r) => r.role === 'customer');
  const customerProfile = customer ? profiles.find((p) => p.name === customer.column) : undefined;
  if (time && customer && customerProfile && repeats(customerProfile) && customer.confidence >= 0.5) {
    return {
      shape: 'transactions',
      layout: null,
      reason: `a date-like column (${time.column}) and a customer id that repeats over rows (${customer.column}, ${count(customerProfile.distinct)} ids in ${count(customerProfile.filled)} sampled rows): a transactions log`,
      missing: null,
      roles: tx,
      profiles,
    };
  }

  // One row per customer: a binary label (and an id unique per row, if any).
  const customers = assignRoles(profiles, 'customers', overrides.id !== undefined ? { customer: overrides.id } : {});
  const label = customers.find((r) => r.role === 'label');
  if (label && label.confidence >= 0.5 && (!time || time.form !== undefined)) {
    return { shape: 'customers', layout: null, reason: `no date-like column and a binary label (${label.column}): one row per customer${rowIds(customers)}`, missing: null, roles: customers, profiles };
  }

  // Baskets in long form: a basket id that repeats and an item column.
  const baskets = assignRoles(profiles, 'baskets', overrides.id !== undefined ? { basket: overrides.id } : {});
  const basket = baskets.find((r) => r.role === 'basket');
  const item = baskets.find((r) => r.role === 'item');
  const basketProfile = basket ? profiles.find((p) => p.name === basket.column) : undefined;
  if (basket && item && basketProfile && repeats(basketProfile)) {
    return { shape: 'baskets', layout: 'long', reason: `a basket id that repeats (${basket.column}) and an item column (${item.column}): baskets, one row per basket and item`, missing: null, roles: baskets, profiles };
  }
  if (!time) {
    if (label) return { shape: 'customers', layout: null, reason: `a binary column (${label.column}) taken as the label: one row per customer${rowIds(customers)}`, missing: null, roles: customers, profiles };
    return { shape: null, layout: null, reason: '', missing: 'no date-like column: a transactions log needs one; pass --label for a customer table', roles: tx, profiles };
  }
  return { shape: null, layout: null, reason: '', missing: `no customer id column that repeats over rows beside the date column ${time.column}: a transactions log needs one (pass --id COLUMN); pass --label for a customer table`, roles: tx, profiles };
}

/** For a customer table without an id column: how its customers are numbered (empty when it has one). */
function rowIds(roles: readonly RoleGuess[]): string {
  return roles.some((r) => r.role === 'customer') ? '' : '; no id column unique per row, so each row is a customer, numbered 1, 2, … in the order of the clean table (the id in every output)';
}

/** What the first lines of a delimited text say about one-basket-per-line files. */
export interface RaggedEvidence {
  /** True when the lines look like baskets of items, no header, ragged. */
  ragged: boolean;
  /** Why, in one line. */
  reason: string;
}

/**
 * Looks at the first lines of a delimited text: baskets written one per line have rows of
 * varying length, almost no numeric fields, no header (the first line's values recur as values
 * further down) and items that repeat across lines.
 */
export function raggedBaskets(text: string, delimiter: Delimiter, maxLines = 500): RaggedEvidence {
  const lines = text.split(/\r?\n/, maxLines + 1).slice(0, maxLines).filter((l) => l.trim() !== '');
  if (lines.length < 5) return { ragged: false, reason: `only ${lines.length} lines` };
  const rows = lines.map((l) => splitLine(l, delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1')).filter((f) => f !== ''));
  const lengths = new Set(rows.map((r) => r.length));
  const fields = rows.flat();
  const numeric = fields.filter((f) => /^-?[\d.,]+$/.test(f)).length / Math.max(1, fields.length);
  const counts = new Map<string, number>();
  for (const r of rows.slice(1)) for (const f of new Set(r)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const first = rows[0] ?? [];
  const headerRecurs = first.filter((f) => (counts.get(f) ?? 0) > 0).length / Math.max(1, first.length);
  const repeated = [...counts.values()].filter((c) => c >= 2).length / Math.max(1, counts.size);
  const ragged = lengths.size >= 3 && numeric < 0.05 && headerRecurs >= 0.5 && repeated >= 0.2;
  const reason = `${lines.length} lines with ${lengths.size} different field counts, ${pct(numeric)} numeric fields, ${pct(headerRecurs)} of the first line's values recur below (no header), ${pct(repeated)} of values on several lines`;
  return { ragged, reason: ragged ? `one basket per line: ${reason}` : reason };
}

/** What the first line of a delimited text says about a header row. */
export interface HeaderEvidence {
  /** True when the first line holds data (every field a number or a date), not column names. */
  headerless: boolean;
  /** Why, in one line. */
  reason: string;
}

/**
 * Looks at the first line of a delimited text: column names are words, so a first line whose
 * every field reads as a number or a date (`00001,19970101,1,11.77`) is data, and the file
 * has no header row.
 */
export function headerlessText(text: string, delimiter: Delimiter): HeaderEvidence {
  const lines = text.split(/\r?\n/, 3).filter((l) => l.trim() !== '');
  const first = lines[0];
  if (first === undefined || lines.length < 2) return { headerless: false, reason: 'fewer than two lines' };
  const fields = splitLine(first, delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
  if (fields.length < 2) return { headerless: false, reason: 'one field on the first line' };
  const data = fields.filter((f) => f !== '' && (toEpochMs(f) !== null || parseLooseNumber(f) !== null));
  const filled = fields.filter((f) => f !== '').length;
  const shown = fields.slice(0, 4).join(', ');
  if (filled >= 2 && data.length === filled) {
    return { headerless: true, reason: `the first line (${shown}) holds numbers and dates only, not column names: the file has no header row, so its columns are named col1 to col${fields.length} and their roles come from content` };
  }
  return { headerless: false, reason: `the first line (${shown}) holds column names` };
}
