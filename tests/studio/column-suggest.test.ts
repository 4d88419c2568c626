import { describe, expect, it } from 'vitest';
import { paramRole, suggestColumn } from '../../src/studio/inspector/column-suggest.ts';

describe('column picker suggestions', () => {
  const retail = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

  it('offer the detected column when the value is not a column of the input', () => {
    expect(suggestColumn('idColumn', 'customer_id', retail)).toEqual({ column: 'CustomerID', role: 'customer' });
    expect(suggestColumn('timeColumn', 'timestamp', retail)).toEqual({ column: 'InvoiceDate', role: 'time' });
    expect(suggestColumn('quantity', '', retail)).toEqual({ column: 'Quantity', role: 'quantity' });
    expect(suggestColumn('productColumn', 'product_id', retail)).toEqual({ column: 'StockCode', role: 'product' });
  });

  it('offer the label-like column for the classify node\'s label', () => {
    expect(suggestColumn('label', '', ['customerID', 'gender', 'tenure', 'Contract', 'Churn'])).toEqual({ column: 'Churn', role: 'label' });
  });

  it('offer nothing when the value is already a column, or the param has no role, or no name matches', () => {
    expect(suggestColumn('idColumn', 'CustomerID', retail)).toBeNull();
    expect(suggestColumn('scoreColumn', '', retail)).toBeNull();
    expect(suggestColumn('category', '', retail)).toBeNull();
    expect(paramRole('toString')).toBeUndefined();
  });

  it('match Chinese names', () => {
    expect(suggestColumn('customer', '', ['交易日期', '客户编号'])).toEqual({ column: '客户编号', role: 'customer' });
  });
});
