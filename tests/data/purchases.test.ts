import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { nameProducts } from '../../src/data/purchases.ts';
import { KeyIds } from '../../src/ml/recommend.ts';

describe('nameProducts', () => {
  it('names the products a products table lists, leaving the others and empty names alone (a later row wins)', () => {
    const products = new KeyIds<unknown>();
    for (const key of ['p1', 'p2', 'p3']) products.id(key, key);
    const labels = ['p1', 'p2', 'p3'];
    nameProducts(table({ sku: ['p2', 'p9', 'p3', 'p2'], title: ['Lamp', 'Ghost', '', 'Desk lamp'] }), 'sku', 'title', products, labels);
    expect(labels).toEqual(['p1', 'Desk lamp', 'p3']);
  });
});
