import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeKinds, nodeRegistry } from '../nodes/index.ts';
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
  it('holds the kinds of the method, in pipeline order', () => {
    expect(nodeKinds.map((k) => k.kind)).toEqual(['load', 'clean', 'anonymise', 'features', 'normalise', 'weight', 'sequence', 'lstm', 'classify', 'clv', 'evaluate', 'explain', 'segment', 'rules', 'cohorts', 'recommend', 'decide']);
  });
  it('declares a label, a description and help-bearing params for every kind', () => {
    for (const spec of nodeKinds) {
      expect(spec.label.length, spec.kind).toBeGreaterThan(2);
      expect(spec.description.length, spec.kind).toBeGreaterThan(10);
    }
  });
});
