/**
 * Adding a node kind is one file: a kind declared only in tests/nodes/fixtures/test-kind.ts,
 * registered with the real ones, shows up in the palette list, gets an inspector form, speaks
 * Chinese where it declares it (English elsewhere), passes the degenerate suite and appears in
 * the generated README reference — with no other file edited.
 */
import { readFileSync } from 'node:fs';
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { nodeKinds, nodeRegistry } from '../../nodes/index.ts';
import { nodeReference } from '../../scripts/node-reference.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import { Engine } from '../../src/engine/runner.ts';
import { describeKinds } from '../../src/engine/service.ts';
import { registryOf } from '../../src/engine/validate.ts';
import { inspectorForm, paletteGroups } from '../../src/studio/doc-ops.ts';
import { issueMessage, kindDescription, kindLabel, nodeTexts, paramGroup, paramHelp, paramLabel, paramUnit } from '../../src/studio/i18n/index.ts';
import { degenerateSuite } from './degenerate-suite.ts';
import { scaleKind } from './fixtures/test-kind.ts';

const registry = registryOf([...nodeKinds, scaleKind]);
const catalog = describeKinds(registry);
const described = catalog.find((k) => k.kind === 'testscale');

describe('a node kind added from one file', () => {
  it('is in the palette list, in its category after the kinds registered before it', () => {
    const features = paletteGroups(catalog).find(([category]) => category === 'features');
    expect(features?.[1].map((k) => k.kind)).toEqual(['features', 'normalise', 'weight', 'testscale']);
    expect(paletteGroups(catalog).map(([category]) => category)).toEqual(['data', 'features', 'model', 'evaluate', 'decide']);
  });

  it('gets an inspector form from its params: values with defaults, fields grouped by meta.group', () => {
    if (!described) throw new Error('the test kind is not in the catalog');
    const form = inspectorForm({ id: 'testscale1', kind: 'testscale', version: 1, params: { factor: 3 }, position: [0, 0], note: '' }, described);
    expect(form.values).toEqual({ column: 'quantity', factor: 3 });
    expect(form.groups.map(([group, params]) => [group, params.map((p) => p.name)])).toEqual([
      ['', ['column']],
      ['Scaling', ['factor']],
    ]);
  });

  it('speaks its declared Chinese and falls back to English where it declares none', () => {
    const texts = nodeTexts(catalog);
    expect([kindLabel('zh', texts, 'testscale', 'Test scale'), kindLabel('en', texts, 'testscale', 'Test scale')]).toEqual(['测试缩放', 'Test scale']);
    expect(kindDescription('zh', texts, 'testscale', 'x')).toBe('把一个数值列乘以一个系数（仅用于测试）。');
    expect([paramLabel('zh', texts, 'testscale', 'column', 'Column'), paramHelp('zh', texts, 'testscale', 'column', 'The numeric column to scale.')]).toEqual(['列', '要缩放的数值列。']);
    // `factor` has no Chinese text: its label and unit stay English.
    expect([paramLabel('zh', texts, 'testscale', 'factor', 'Factor'), paramUnit('zh', texts, 'testscale', 'factor', '×')]).toEqual(['Factor', '×']);
    expect([paramGroup('zh', texts, 'testscale', 'Scaling'), paramGroup('en', texts, 'testscale', 'Scaling')]).toEqual(['缩放', 'Scaling']);
  });

  it('runs in the engine and its declared message reads in both languages', async () => {
    const source = { ...scaleKind, kind: 'rows', label: 'Rows', zh: undefined, inputs: {}, params: {}, run: async () => ({ table: table({ quantity: [1, 'two', 3] }) }) };
    const doc = {
      format: 'insight-pipeline' as const,
      version: 1 as const,
      name: 't',
      description: '',
      seed: 1,
      nodes: [
        { id: 'rows1', kind: 'rows', version: 1, params: {}, position: [0, 0] satisfies [number, number], note: '' },
        { id: 'testscale1', kind: 'testscale', version: 1, params: {}, position: [0, 0] satisfies [number, number], note: '' },
      ],
      edges: [{ from: ['rows1', 'table'] satisfies [string, string], to: ['testscale1', 'table'] satisfies [string, string] }],
      notes: [],
    };
    const engine = new Engine({ registry: registryOf([...nodeKinds, scaleKind, source]), host: createNodeHost({ backend: () => 'cpu' }) });
    const report = await engine.run(doc);
    const issue = report.statuses.testscale1?.issues[0];
    expect(issue).toMatchObject({ code: 'testscale.notNumeric', message: 'Column "quantity" holds "two", which is not a number.' });
    if (!issue) return;
    const texts = nodeTexts(describeKinds(registry));
    expect(issueMessage('zh', texts, issue)).toBe('列 "quantity" 含有 "two"，不是数字。');
    expect(issueMessage('en', texts, issue)).toBe(issue.message);
  });

  it('appears in the generated README reference, which the README holds for the registered kinds', () => {
    const reference = nodeReference(registry);
    expect(reference).toContain(['### Test scale — `testscale`', '', 'Multiplies one numeric column by a factor (a test-only kind).', '', '- Inputs: `table` (table)', '- Outputs: `table` (table)', '- Params: `column` = "quantity"; `factor` = 2', ''].join('\n'));
    expect(reference.startsWith(nodeReference(nodeRegistry))).toBe(true);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain(nodeReference(nodeRegistry));
  });

  it('is refused when registered twice', () => {
    expect(() => registryOf([scaleKind, scaleKind])).toThrow('Node kind "testscale" is registered twice.');
  });
});

degenerateSuite([scaleKind]);
