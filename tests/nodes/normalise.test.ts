import { table as aqTable, type ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { Transform } from '../../src/engine/ports.ts';
import { isTable } from '../../src/engine/port-codec.ts';
import { runNode, tableFeed } from '../data/node-harness.ts';

function tableOut(outputs: Record<string, unknown> | undefined): ColumnTable {
  const value = outputs?.table;
  if (!isTable(value)) throw new Error('no table');
  return value;
}

function transformOut(outputs: Record<string, unknown> | undefined): Transform {
  const value = outputs?.transform;
  if (!value || typeof value !== 'object' || !('kind' in value) || !('params' in value) || !('label' in value)) throw new Error('no transform');
  const { kind, label, params } = value;
  if (typeof kind !== 'string' || typeof label !== 'string' || typeof params !== 'object' || params === null) throw new Error('bad transform');
  return { kind, label, params: JSON.parse(JSON.stringify(params)) };
}

const features = () => aqTable({ id: ['a', 'b', 'c', 'd'], recency: [10, 0, 40, 20], monetary: [100, 50, null, 250], constant: [3, 3, 3, 3] });

describe('normalise node', () => {
  it('min-max scales the chosen columns into [0, 1] and warns about a constant column', async () => {
    const run = await runNode('normalise', { columns: ['recency', 'monetary', 'constant'] }, { table: tableFeed(features()) });
    expect(run.status.issues.map((i) => i.message)).toEqual(['Column "constant" is constant; scaled to 0.']);
    const out = tableOut(run.outputs);
    expect(out.objects()).toEqual([
      { id: 'a', recency: 0.25, monetary: 0.25, constant: 0 },
      { id: 'b', recency: 0, monetary: 0, constant: 0 },
      { id: 'c', recency: 1, monetary: null, constant: 0 },
      { id: 'd', recency: 0.5, monetary: 1, constant: 0 },
    ]);
    expect(transformOut(run.outputs)).toEqual({
      kind: 'normalise',
      label: 'min-max on 3 columns',
      params: {
        method: 'min-max',
        suffix: '',
        columns: {
          recency: { center: 0, scale: 40, count: 4, stats: { min: 0, max: 40 } },
          monetary: { center: 50, scale: 200, count: 3, stats: { min: 50, max: 250 } },
          constant: { center: 3, scale: 0, count: 4, stats: { min: 3, max: 3 } },
        },
      },
    });
  });

  it('scales every numeric column when none is chosen, adding copies with a suffix', async () => {
    const run = await runNode('normalise', { method: 'z-score', suffix: '_z' }, { table: tableFeed(features()) });
    expect(tableOut(run.outputs).columnNames()).toEqual(['id', 'recency', 'monetary', 'constant', 'recency_z', 'monetary_z', 'constant_z']);
    const z = Array.from(tableOut(run.outputs).array('recency_z'), Number);
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(z.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 12);
  });

  it('applies a fitted scaling from its fitted input instead of fitting, clipping when asked', async () => {
    const fit = await runNode('normalise', { columns: ['recency'] }, { table: tableFeed(features()) });
    const fresh = aqTable({ recency: [20, 80, -40] });
    const applied = await runNode('normalise', {}, { table: tableFeed(fresh), fitted: { type: 'transform', value: transformOut(fit.outputs) } });
    expect(Array.from(tableOut(applied.outputs).array('recency'))).toEqual([0.5, 2, -1]);
    const clipped = await runNode('normalise', { clip: true }, { table: tableFeed(fresh), fitted: { type: 'transform', value: transformOut(fit.outputs) } });
    expect(Array.from(tableOut(clipped.outputs).array('recency'))).toEqual([0.5, 1, 0]);
    expect(transformOut(applied.outputs)).toEqual(transformOut(fit.outputs));
  });

  it('refuses a text column, another kind of transform, and a fitted column the table lacks', async () => {
    const text = await runNode('normalise', { columns: ['id'] }, { table: tableFeed(features()) });
    expect(text.status.issues[0]?.message).toBe('Column "id" in parameter "columns" must hold numbers; it holds values such as "a".');
    const other = await runNode('normalise', {}, { table: tableFeed(features()), fitted: { type: 'transform', value: { kind: 'weight', label: 'w', params: {} } } });
    expect(other.codes).toEqual(['normalise.badTransform']);
    const fit = await runNode('normalise', { columns: ['recency'] }, { table: tableFeed(features()) });
    const lacking = await runNode('normalise', {}, { table: tableFeed(aqTable({ other: [1] })), fitted: { type: 'transform', value: transformOut(fit.outputs) } });
    expect(lacking.status.issues[0]?.message).toBe('The fitted scaling names column "recency", which this table does not have.');
  });

  it('leaves infinite values missing with a warning, never NaN', async () => {
    const run = await runNode('normalise', { columns: ['x'] }, { table: tableFeed(aqTable({ x: [0, Infinity, 10, Number.NaN] })) });
    expect(run.status.issues.map((i) => i.message)).toEqual(['Column "x": 1 infinite values were treated as missing.']);
    expect(Array.from(tableOut(run.outputs).array('x'))).toEqual([0, null, 1, null]);
  });
});
