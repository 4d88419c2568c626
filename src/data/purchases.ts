/**
 * Reading a transactions table into purchase interactions for recommendation: dense customer,
 * product and basket ids, counts (quantities) and times, with rows that cannot count left out
 * and counted. Rows without a customer or product are `missing`; a missing or non-finite
 * quantity (or time, when times are read) is `invalid`; quantity ≤ 0 (returns, cancellations)
 * is a `return`. Text in the quantity column and unreadable times stop the read through the
 * sink (`notNumeric` on quantityColumn, `badTime` on timeColumn).
 */
import type { ColumnTable } from 'arquero';
import { KeyIds } from '../ml/recommend.ts';
import { cellKey, timeValue } from './cells.ts';
import type { IssueSink } from './issues.ts';

/** Columns read ('' for an optional column not read). */
export interface PurchaseColumns {
  /** Customer id column. */
  customer: string;
  /** Product id column. */
  product: string;
  /** Quantity column; '' = every row counts once. */
  quantity: string;
  /** Basket column; '' = no baskets. */
  basket: string;
  /** Time column; '' = table order. */
  time: string;
  /** Product name column; '' = names are the product keys. */
  label: string;
}

/** Purchases read from a table. */
export interface Purchases {
  /** Customer keys → dense ids; values are the raw cells first seen. */
  customers: KeyIds<unknown>;
  /** Product keys → dense ids; values are the raw cells first seen. */
  products: KeyIds<unknown>;
  /** Name per product id (the label column where given, else the key). */
  productLabel: string[];
  /** Customer id per kept row. */
  users: number[];
  /** Product id per kept row. */
  items: number[];
  /** Quantity per kept row. */
  counts: number[];
  /** Basket id per kept row (empty when no basket column is read). */
  baskets: number[];
  /** Time per kept row (the row number when no time column is read). */
  times: number[];
  /** Rows left out, by reason. */
  skipped: { missing: number; invalid: number; returns: number };
}

/** Reads the purchases of a transactions table (see the file header for what is left out). */
export function readPurchases(t: ColumnTable, c: PurchaseColumns, sink: Pick<IssueSink, 'fail'>): Purchases {
  const rows = t.numRows();
  const getCustomer = t.getter(c.customer);
  const getProduct = t.getter(c.product);
  const getQuantity = c.quantity === '' ? null : t.getter(c.quantity);
  const getBasket = c.basket === '' ? null : t.getter(c.basket);
  const getTime = c.time === '' ? null : t.getter(c.time);
  const getLabel = c.label === '' ? null : t.getter(c.label);
  const out: Purchases = { customers: new KeyIds<unknown>(), products: new KeyIds<unknown>(), productLabel: [], users: [], items: [], counts: [], baskets: [], times: [], skipped: { missing: 0, invalid: 0, returns: 0 } };
  const { customers, products, productLabel } = out;
  const basketIds = new KeyIds<unknown>();
  for (let r = 0; r < rows; r++) {
    const customerRaw: unknown = getCustomer(r);
    const productRaw: unknown = getProduct(r);
    const customer = cellKey(customerRaw);
    const product = cellKey(productRaw);
    if (customer === '' || product === '') {
      out.skipped.missing++;
      continue;
    }
    let quantity = 1;
    if (getQuantity !== null) {
      const q: unknown = getQuantity(r);
      if (typeof q === 'string' && q.trim() !== '') sink.fail('notNumeric', { column: c.quantity, row: r + 1, value: q }, 'quantityColumn');
      if (typeof q !== 'number' || !Number.isFinite(q)) {
        out.skipped.invalid++;
        continue;
      }
      if (q <= 0) {
        out.skipped.returns++;
        continue;
      }
      quantity = q;
    }
    let time = r;
    if (getTime !== null) {
      const v: unknown = getTime(r);
      if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
        out.skipped.invalid++;
        continue;
      }
      time = timeValue(v);
      if (!Number.isFinite(time)) sink.fail('badTime', { column: c.time, row: r + 1, value: String(v) }, 'timeColumn');
    }
    out.users.push(customers.id(customer, customerRaw));
    const before = products.values.length;
    const item = products.id(product, productRaw);
    if (products.values.length > before) productLabel.push(product);
    if (getLabel !== null && productLabel[item] === product) {
      const label = cellKey(getLabel(r));
      if (label !== '') productLabel[item] = label;
    }
    out.items.push(item);
    out.counts.push(quantity);
    if (getBasket !== null) {
      const b = cellKey(getBasket(r));
      // A line without a basket is its own basket.
      out.baskets.push(basketIds.id(b === '' ? `\u0000row${r}` : b, b));
    }
    out.times.push(time);
  }
  return out;
}

/**
 * Names products from a products table: for each row whose `keyColumn` cell is a product of
 * `products` and whose `nameColumn` cell is not empty, that name replaces `productLabel`'s
 * entry (a later row wins).
 */
export function nameProducts(table: ColumnTable, keyColumn: string, nameColumn: string, products: KeyIds<unknown>, productLabel: string[]): void {
  const getKey = table.getter(keyColumn);
  const getName = table.getter(nameColumn);
  for (let r = 0; r < table.numRows(); r++) {
    const item = products.ids.get(cellKey(getKey(r)));
    const name = cellKey(getName(r));
    if (item !== undefined && name !== '') productLabel[item] = name;
  }
}
