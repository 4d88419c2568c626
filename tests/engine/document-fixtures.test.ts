import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_VERSION } from '../../src/engine/document.ts';
import { loadPipeline } from '../../src/engine/validate.ts';
import { nodeRegistry } from '../../nodes/index.ts';
import { testRegistry } from './test-nodes.ts';

const root = join(import.meta.dirname, '..', 'fixtures', 'documents');
const registry = { ...nodeRegistry, ...testRegistry };
const fixtures = readdirSync(root)
  .filter((d) => /^v\d+$/.test(d))
  .flatMap((dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json')).map((f) => join(dir, f)));

describe('frozen documents of every version', () => {
  it('exist for version 1', () => {
    expect(fixtures.filter((f) => f.startsWith('v1')).length).toBeGreaterThan(0);
  });
  for (const file of fixtures) {
    it(`${file} loads, migrates to version ${DOCUMENT_VERSION} and validates`, () => {
      const input: unknown = JSON.parse(readFileSync(join(root, file), 'utf8'));
      const result = loadPipeline(input, registry);
      expect(result.problems).toEqual([]);
      const expectFile = join(root, file.replace(/\.json$/, '.expect.json'));
      let expected: unknown = null;
      try {
        expected = JSON.parse(readFileSync(expectFile, 'utf8'));
      } catch {
        expected = null;
      }
      if (expected !== null) expect(result.document).toEqual(expected);
      expect(result.document?.version).toBe(DOCUMENT_VERSION);
    });
  }
});
