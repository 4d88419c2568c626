import { describe, expect, it } from 'vitest';
import { makeTable } from '../../src/data/columns.ts';
import { detectRoles, genericName, headerlessText, nameMatch, normaliseName, profileColumns, raggedBaskets, roleColumn, timeGuess, type RoleName } from '../../src/data/roles.ts';

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

/** `n` rows of `customers` repeating ids, with columns made by `cols(i)`. */
function rows(n: number, cols: Record<string, (i: number) => unknown>) {
  return makeTable(Object.keys(cols), Object.values(cols).map((f) => Array.from({ length: n }, (_, i) => f(i))));
}
const roleMap = (d: ReturnType<typeof detectRoles>) => Object.fromEntries(d.roles.map((r) => [r.role, r.column]));

describe('a time column written as numbers', () => {
  it('is YYYYMMDD by content alone when every whole number is a real date', () => {
    const t = rows(200, { cust: (i) => 1 + (i % 40), stamp: (i) => 19970101 + (i % 28), qty: (i) => 1 + (i % 3) });
    const d = detectRoles(t);
    const time = d.roles.find((r) => r.role === 'time');
    expect(d.shape).toBe('transactions');
    expect(time).toMatchObject({ column: 'stamp', form: 'yyyymmdd', confidence: 0.55 });
    expect(time?.reason).toContain('100% of cells are YYYYMMDD dates written as whole numbers (19970101 to 19970128');
  });

  it('is not a date when a month or day is out of range', () => {
    const profiles = profileColumns(rows(50, { code: (i) => 19971301 + i }));
    expect(profiles[0]?.compactDateShare).toBe(0);
    expect(timeGuess(profiles[0]!)).toBeNull();
  });

  it('reads a YYYYMM column named like a month as months', () => {
    const p = profileColumns(rows(30, { month: (i) => 201901 + (i % 12) }))[0]!;
    expect(timeGuess(p)).toMatchObject({ form: 'yyyymm' });
    // Without a month- or time-like name, six-digit numbers stay numbers.
    expect(timeGuess(profileColumns(rows(30, { amount: (i) => 201901 + (i % 12) }))[0]!)).toBeNull();
  });

  it('is a day number when named DAY and above 31, and a day of the month when 31 or under', () => {
    const grocery = detectRoles(rows(300, { household_key: (i) => i % 50, DAY: (i) => 1 + ((i * 7) % 711), WEEK_NO: (i) => 1 + Math.floor(((i * 7) % 711) / 7), SALES_VALUE: (i) => 1.5 + (i % 9) }));
    expect(grocery.shape).toBe('transactions');
    expect(grocery.roles.find((r) => r.role === 'time')).toMatchObject({ column: 'DAY', form: 'day-number', reason: expect.stringContaining('1 to 711 (above 31, so not a day of the month)') });
    expect(timeGuess(profileColumns(rows(60, { day: (i) => 1 + (i % 31) }))[0]!)).toBeNull();
  });

  it('falls back to a week number when there is no day number', () => {
    const d = detectRoles(rows(300, { household_key: (i) => i % 50, WEEK_NO: (i) => 1 + (i % 102), SALES_VALUE: (i) => 1.5 + (i % 9) }));
    expect(d.roles.find((r) => r.role === 'time')).toMatchObject({ column: 'WEEK_NO', form: 'week-number' });
  });
});

describe('a file without a header row', () => {
  it('is told by a first line of numbers and dates only', () => {
    const h = headerlessText('00001,19970101,  1,  11.77\n00002,19970112,  1,  12.00\n', ',');
    expect(h.headerless).toBe(true);
    expect(h.reason).toContain('named col1 to col4');
    expect(headerlessText('customer,date,cds,amount\n00001,19970101,1,11.77\n', ',').headerless).toBe(false);
    expect(headerlessText('"age";"job";"y"\n58;"management";"no"\n', ';').headerless).toBe(false);
  });

  it('gets its roles from content: the most distinct repeating id, compact dates, whole-number units and decimal amounts', () => {
    expect(genericName('col3')).toBe(true);
    expect(genericName('column_12')).toBe(true);
    expect(genericName('cost')).toBe(false);
    const t = rows(600, { col1: (i) => String(1 + Math.floor(i / 6)).padStart(5, '0'), col2: (i) => 19970101 + (i % 28), col3: (i) => 1 + (i % 4), col4: (i) => 9.99 + (i % 13) * 1.25 });
    const d = detectRoles(t);
    expect(d.shape).toBe('transactions');
    expect(roleMap(d)).toEqual({ time: 'col2', customer: 'col1', quantity: 'col3', amount: 'col4' });
    expect(d.roles.find((r) => r.role === 'customer')?.reason).toMatch(/^no header, so by content/);
  });

  it('takes no unnamed measure when the columns have names', () => {
    const t = rows(600, { member: (i) => i % 100, when: (i) => new Date(Date.UTC(2024, 0, 1 + (i % 90))), cost: (i) => 9.99 + (i % 13) });
    expect(roleColumn(detectRoles(t).roles, 'amount')).toBeUndefined();
  });
});

describe('a marketing response table', () => {
  it('takes the last of equally label-like binary columns (y over default), and has no id', () => {
    const t = rows(400, { age: (i) => 20 + (i % 50), default: (i) => (i % 50 === 0 ? 'yes' : 'no'), housing: (i) => (i % 2 ? 'yes' : 'no'), day: (i) => 1 + (i % 31), month: (i) => ['may', 'jun', 'jul'][i % 3], y: (i) => (i % 7 === 0 ? 'yes' : 'no') });
    const d = detectRoles(t);
    expect(d.shape).toBe('customers');
    expect(roleMap(d)).toEqual({ label: 'y' });
  });
});

describe('a CDNOW log as the tutorials name it', () => {
  it('reads order_dt as YYYYMMDD, order_products as the quantity (not an order id or a product) and order_amount as the amount', () => {
    const t = rows(600, { user_id: (i) => 1 + Math.floor(i / 6), order_dt: (i) => 19970101 + (i % 28), order_products: (i) => 1 + (i % 4), order_amount: (i) => 9.99 + (i % 13) * 1.25 });
    const d = detectRoles(t);
    expect(d.shape).toBe('transactions');
    expect(roleMap(d)).toEqual({ time: 'order_dt', customer: 'user_id', quantity: 'order_products', amount: 'order_amount' });
  });
});
