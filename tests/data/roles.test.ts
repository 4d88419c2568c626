import { describe, expect, it } from 'vitest';
import { makeTable } from '../../src/data/columns.ts';
import { detectRoles, nameMatch, normaliseName, profileColumns, raggedBaskets, roleColumn, type RoleName } from '../../src/data/roles.ts';

/** A transactions log of `customers` customers, `per` rows each, with the given column names. */
function log(names: Partial<Record<'customer' | 'time' | 'invoice' | 'quantity' | 'price' | 'product', string>>, customers = 30, per = 4) {
  const cols: Record<string, unknown[]> = {};
  const n = customers * per;
  const put = (role: keyof typeof names, f: (i: number) => unknown) => {
    const name = names[role];
    if (name !== undefined) cols[name] = Array.from({ length: n }, (_, i) => f(i));
  };
  put('customer', (i) => `C${Math.floor(i / per)}`);
  put('time', (i) => new Date(Date.UTC(2024, 0, 1 + ((i * 7) % 180))));
  put('invoice', (i) => `INV${Math.floor(i / 2)}`);
  put('quantity', (i) => 1 + (i % 5));
  put('price', (i) => 1.5 + (i % 7) * 0.25);
  put('product', (i) => `P${i % 13}`);
  return makeTable(Object.keys(cols), Object.values(cols));
}

describe('column names', () => {
  it('are compared in lower case without separators, in any script', () => {
    expect(['CustomerID', 'customer_id', 'Customer ID', 'customer-id', 'CUSTOMER.ID'].map(normaliseName)).toEqual(Array(5).fill('customerid'));
    expect(normaliseName('客户 编号')).toBe('客户编号');
  });

  const cases: [RoleName, string, 'exact' | 'part' | null][] = [
    ['customer', 'CustomerID', 'exact'],
    ['customer', 'Customer ID', 'exact'],
    ['customer', 'household_key', 'exact'],
    ['customer', '客户编号', 'exact'],
    ['customer', 'Member_number', 'exact'],
    ['customer', 'buyer_code', 'part'],
    ['time', 'InvoiceDate', 'exact'],
    ['time', '交易日期', 'exact'],
    ['time', 'signup_date', 'part'],
    ['invoice', 'InvoiceNo', 'exact'],
    ['invoice', '订单编号', 'exact'],
    ['quantity', 'Qty', 'exact'],
    ['quantity', '数量', 'exact'],
    ['price', 'UnitPrice', 'exact'],
    ['price', '单价', 'exact'],
    ['amount', '金额', 'exact'],
    ['product', 'StockCode', 'exact'],
    ['category', '品类', 'exact'],
    ['label', 'Churn', 'exact'],
    ['customer', 'quantity', null],
  ];
  it.each(cases)('role %s matches %s as %s', (role, name, match) => {
    expect(nameMatch(role, name)).toBe(match);
  });
});

describe('a transactions log', () => {
  it('is found from a date-like column and a repeated customer id, with every role by name', () => {
    const d = detectRoles(log({ customer: 'CustomerID', time: 'InvoiceDate', invoice: 'InvoiceNo', quantity: 'Quantity', price: 'UnitPrice', product: 'StockCode' }));
    expect(d.shape).toBe('transactions');
    expect(Object.fromEntries(d.roles.map((r) => [r.role, r.column]))).toEqual({ time: 'InvoiceDate', customer: 'CustomerID', invoice: 'InvoiceNo', quantity: 'Quantity', price: 'UnitPrice', product: 'StockCode' });
    for (const r of d.roles) {
      expect(r.confidence).toBeGreaterThanOrEqual(0.85);
      expect(r.reason).toContain(r.column);
    }
  });

  it('is found from Chinese column names', () => {
    const d = detectRoles(log({ customer: '客户编号', time: '交易日期', invoice: '订单编号', quantity: '数量', price: '单价', product: '商品编号' }));
    expect(d.shape).toBe('transactions');
    expect(roleColumn(d.roles, 'customer')).toBe('客户编号');
    expect(roleColumn(d.roles, 'time')).toBe('交易日期');
    expect(roleColumn(d.roles, 'price')).toBe('单价');
  });

  it('finds the time column by content when its name says nothing, with a lower confidence', () => {
    const d = detectRoles(log({ customer: 'household_key', time: 'when', quantity: 'qty' }));
    const time = d.roles.find((r) => r.role === 'time');
    expect(time?.column).toBe('when');
    expect(time?.confidence).toBeCloseTo(0.62, 2);
    expect(time?.reason).toBe('100% of cells read as dates');
  });

  it('reads date text as dates and numbers written as text as numbers, and says so', () => {
    const t = makeTable(['user_id', 'order_date', 'amount'], [
      Array.from({ length: 40 }, (_, i) => `u${i % 8}`),
      Array.from({ length: 40 }, (_, i) => `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`),
      Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? `1,${100 + i}.50` : String(10 + i))),
    ]);
    const d = detectRoles(t);
    expect(d.shape).toBe('transactions');
    expect(roleColumn(d.roles, 'amount')).toBe('amount');
    expect(profileColumns(t).find((p) => p.name === 'amount')?.numbersAsText).toBe(true);
  });

  it('does not take a time-named column without dates as the time', () => {
    const t = makeTable(['customer_id', 'time', 'when'], [
      Array.from({ length: 20 }, (_, i) => i % 4),
      Array.from({ length: 20 }, (_, i) => `slot ${i}`),
      Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))),
    ]);
    expect(roleColumn(detectRoles(t).roles, 'time')).toBe('when');
  });

  it('takes --id over the guess', () => {
    const d = detectRoles(log({ customer: 'customer_id', time: 'date', product: 'sku' }), { id: 'sku' });
    expect(d.roles.find((r) => r.role === 'customer')).toEqual({ role: 'customer', column: 'sku', confidence: 1, reason: 'chosen by you' });
  });
});

describe('a customer table', () => {
  const n = 50;
  const table = makeTable(['customerID', 'tenure', 'MonthlyCharges', 'Churn'], [
    Array.from({ length: n }, (_, i) => `ID-${i}`),
    Array.from({ length: n }, (_, i) => i % 17),
    Array.from({ length: n }, (_, i) => 20 + i * 1.5),
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'Yes' : 'No')),
  ]);

  it('is one row per customer with a binary label and an id unique per row', () => {
    const d = detectRoles(table);
    expect(d.shape).toBe('customers');
    expect(d.roles.map((r) => [r.role, r.column, r.confidence])).toEqual([
      ['label', 'Churn', 0.95],
      ['customer', 'customerID', 0.95],
    ]);
    expect(d.roles[0]?.reason).toBe('name "Churn" reads as label; two values (positive: yes)');
  });

  it('takes a binary column without a label-like name as the label when nothing else fits', () => {
    const t = makeTable(['a', 'b'], [Array.from({ length: 30 }, (_, i) => i * 2.5), Array.from({ length: 30 }, (_, i) => i % 2)]);
    const d = detectRoles(t);
    expect(d.shape).toBe('customers');
    expect(d.roles).toEqual([{ role: 'label', column: 'b', confidence: 0.4, reason: 'no label-like name; two values (positive: 1)' }]);
  });

  it('refuses a --label column that is not binary, naming it', () => {
    expect(detectRoles(table, { label: 'tenure' }).missing).toBe('--label names column "tenure", which has 17 distinct values; a label needs exactly two (0/1, yes/no, true/false)');
    expect(detectRoles(table, { label: 'nope' }).missing).toMatch(/^--label names column "nope", which the file does not have/);
  });
});

describe('baskets', () => {
  it('in long form: a repeated basket id and an item column', () => {
    const t = makeTable(['basket_id', 'item'], [Array.from({ length: 60 }, (_, i) => 1 + Math.floor(i / 3)), Array.from({ length: 60 }, (_, i) => ['milk', 'bread', 'eggs', 'jam'][i % 4])]);
    const d = detectRoles(t);
    expect([d.shape, d.layout, roleColumn(d.roles, 'basket'), roleColumn(d.roles, 'item')]).toEqual(['baskets', 'long', 'basket_id', 'item']);
  });

  it('one per line: ragged rows of repeated words, no header', () => {
    const items = ['whole milk', 'rolls/buns', 'yogurt', 'soda', 'bottled water', 'citrus fruit', 'coffee'];
    const text = Array.from({ length: 40 }, (_, i) => items.slice(i % 5, (i % 5) + 1 + (i % 3)).join(',')).join('\n');
    const evidence = raggedBaskets(text, ',');
    expect(evidence.ragged).toBe(true);
    const d = detectRoles(makeTable(['x'], [[1]]), {}, evidence);
    expect([d.shape, d.layout]).toEqual(['baskets', 'ragged']);
  });

  it('a plain CSV with a header is not ragged', () => {
    const text = ['id,name,amount', ...Array.from({ length: 30 }, (_, i) => `${i},n${i},${i * 2}`)].join('\n');
    expect(raggedBaskets(text, ',').ragged).toBe(false);
  });
});

describe('when no shape fits', () => {
  it('names the missing date column', () => {
    const t = makeTable(['name', 'score'], [['a', 'b', 'c'], [1.5, 2.5, 3.5]]);
    expect(detectRoles(t).missing).toBe('no date-like column: a transactions log needs one; pass --label for a customer table');
  });

  it('names the missing customer id beside a date column', () => {
    const t = makeTable(['date', 'reading'], [Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))), Array.from({ length: 10 }, (_, i) => i * 1.5)]);
    expect(detectRoles(t).missing).toBe('no customer id column that repeats over rows beside the date column date: a transactions log needs one (pass --id COLUMN); pass --label for a customer table');
  });
});
