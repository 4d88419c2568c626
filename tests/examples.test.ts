import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeKinds, nodeRegistry } from '../nodes/index.ts';
import { inputType } from '../src/engine/node.ts';
import { loadPipeline } from '../src/engine/validate.ts';

const dir = join(import.meta.dirname, '..', 'public', 'examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('the example pipelines in public/examples', () => {
  it('include the default project and the documented examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['customer-insight.json', 'online-retail-rfm.json', 'online-retail-intent.json', 'telco-churn.json', 'online-shoppers.json']));
  });
  for (const file of examples) {
    it(`${file} is a valid pipeline for this studio`, () => {
      const result = loadPipeline(JSON.parse(readFileSync(join(dir, file), 'utf8')), nodeRegistry);
      expect(result.problems).toEqual([]);
    });
  }
});

describe('the node registry', () => {
  it('holds one kind per node file in nodes/, named as its file, each once', () => {
    const files = readdirSync(join(import.meta.dirname, '..', 'nodes')).filter((f) => f.endsWith('.ts') && f !== 'define.ts' && f !== 'index.ts').map((f) => f.slice(0, -3));
    const kinds = nodeKinds.map((k) => k.kind);
    expect([...kinds].sort()).toEqual(files.sort());
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(Object.keys(nodeRegistry).sort()).toEqual([...kinds].sort());
  });
  it('lists kinds in pipeline order: every required input of a kind is an output type of a kind listed before it', () => {
    const produced = new Set<string>();
    for (const spec of nodeKinds) {
      // A plain port type is required; optional(...) ports are objects.
      const required = Object.values(spec.inputs).filter((s) => typeof s === 'string').map(inputType);
      for (const type of required) expect(produced.has(type), `${spec.kind} needs a ${type} from a kind listed before it`).toBe(true);
      for (const type of Object.values(spec.outputs)) produced.add(type);
    }
    expect(nodeKinds[0]?.kind).toBe('load');
  });
  it('declares a label, a description and help-bearing params for every kind', () => {
    for (const spec of nodeKinds) {
      expect(spec.label.length, spec.kind).toBeGreaterThan(2);
      expect(spec.description.length, spec.kind).toBeGreaterThan(10);
    }
  });
});
