import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/engine/document.ts';
import { loadPipeline, validatePipeline } from '../../src/engine/validate.ts';
import { doc, e, n } from './helpers.ts';
import { testRegistry } from './test-nodes.ts';

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('validatePipeline', () => {
  it('accepts a valid pipeline', () => {
    expect(validatePipeline(doc([n('s', 'source'), n('a', 'add')], [e('s.table', 'a.table')]), testRegistry)).toEqual([]);
  });

  const cases: { name: string; d: ReturnType<typeof doc>; code: string; message: string }[] = [
    {
      name: 'an unknown node kind',
      d: doc([n('x', 'teleport')]),
      code: 'node.unknownKind',
      message: 'Node "x" has unknown kind "teleport"; known kinds: source, add, combine, failing, slow, report.',
    },
    {
      name: 'an unknown param',
      d: doc([n('s', 'source', { rowz: 3 })]),
      code: 'param.unknown',
      message: 'Node "s" (source) has no parameter "rowz"; it has "rows", "start".',
    },
    {
      name: 'a mistyped param',
      d: doc([n('s', 'source', { rows: 'three' })]),
      code: 'param.invalid',
      message: 'Node "s" parameter "rows": expected a whole number between 0 and 1000, got "three".',
    },
    {
      name: 'an edge to a missing node',
      d: doc([n('s', 'source')], [e('s.table', 'ghost.table')]),
      code: 'edge.missingNode',
      message: 'Edge s.table → ghost.table: there is no node "ghost".',
    },
    {
      name: 'an edge to a missing port',
      d: doc([n('s', 'source'), n('a', 'add')], [e('s.table', 'a.tabel')]),
      code: 'edge.missingPort',
      message: 'Edge s.table → a.tabel: node "a" (add) has no input "tabel"; inputs: table.',
    },
    {
      name: 'a type-mismatched edge',
      d: doc([n('s', 'source'), n('r', 'report')], [e('s.table', 'r.metrics')]),
      code: 'edge.typeMismatch',
      message: 'Edge s.table → r.metrics: a table output cannot feed a metrics input.',
    },
    {
      name: 'two edges into one input',
      d: doc([n('s', 'source'), n('t', 'source'), n('a', 'add')], [e('s.table', 'a.table'), e('t.table', 'a.table')]),
      code: 'edge.duplicateInput',
      message: 'Edge t.table → a.table: input a.table already has an edge (edge 1); an input takes one edge.',
    },
    {
      name: 'a cycle',
      d: doc([n('a', 'add'), n('b', 'add')], [e('a.table', 'b.table'), e('b.table', 'a.table')]),
      code: 'graph.cycle',
      message: 'The pipeline has a cycle: a → b → a.',
    },
    {
      name: 'duplicate node ids',
      d: doc([n('a', 'source'), n('a', 'source')]),
      code: 'node.duplicateId',
      message: 'Two nodes share the id "a".',
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name} with a message naming it`, () => {
      const problems = validatePipeline(c.d, testRegistry);
      expect(codes(problems)).toEqual([c.code]);
      expect(problems[0]?.message).toBe(c.message);
    });
  }

  it('reports every problem at once, each with a JSON path', () => {
    const problems = validatePipeline(doc([n('s', 'source', { rows: -1, bogus: 1 }), n('x', 'nope')]), testRegistry);
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['param.invalid', '$.nodes[0].params.rows'],
      ['param.unknown', '$.nodes[0].params.bogus'],
      ['node.unknownKind', '$.nodes[1].kind'],
    ]);
  });
});

describe('parseDocument', () => {
  it('rejects non-objects, wrong formats and versions from the future', () => {
    expect(parseDocument([1])).toMatchObject({ ok: false, problems: [{ code: 'document.notObject' }] });
    expect(parseDocument({ format: 'other' })).toMatchObject({ ok: false, problems: [{ code: 'document.format', message: 'Field "format" must be "insight-pipeline", got "other".' }] });
    expect(parseDocument({ format: 'insight-pipeline', version: 99 })).toMatchObject({ ok: false, problems: [{ code: 'document.tooNew' }] });
  });

  it('names the path and echoes the value of schema problems', () => {
    const result = parseDocument({ ...doc([n('s', 'source')]), seed: 'abc', nodes: [{ ...n('s', 'source'), position: [0, 'x'] }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([
      ['$.seed', 'Field $.seed: expected number, got "abc".'],
      ['$.nodes[0].position[1]', 'Node "s" field "position.1" ($.nodes[0].position[1]): expected number, got "x".'],
    ]);
  });

  it('refuses prototype-polluting keys anywhere in the document', () => {
    const hostile = JSON.parse('{"format":"insight-pipeline","version":1,"name":"x","seed":1,"nodes":[{"id":"a","kind":"source","version":1,"params":{"__proto__":{"polluted":true}},"position":[0,0]}],"edges":[]}') as unknown;
    const result = parseDocument(hostile);
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'document.forbiddenKey', path: '$.nodes[0].params.__proto__' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts "constructor" and "prototype" as keys of per-column params (they may be column names)', () => {
    const doc: unknown = JSON.parse('{"format":"insight-pipeline","version":1,"name":"x","seed":1,"nodes":[{"id":"a","kind":"source","version":1,"params":{"constructor":1,"prototype":2},"position":[0,0]}],"edges":[]}');
    const result = parseDocument(doc);
    expect(result.ok).toBe(true);
  });

  it('refuses unknown top-level fields', () => {
    const result = parseDocument({ ...doc([]), script: 'alert(1)' });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'document.unknownField', path: '$.script', message: 'Field $.script: there is no such field in a pipeline document.' }] });
  });
});

describe('loadPipeline', () => {
  it('migrates node params from older node versions', () => {
    const result = loadPipeline(doc([n('s', 'source'), n('a', 'add', { delta: 5 }, 1)], [e('s.table', 'a.table')]), testRegistry);
    expect(result.ok).toBe(true);
    expect(result.document?.nodes[1]).toEqual({ ...n('a', 'add', { amount: 5 }, 2) });
  });

  it('refuses a node version newer than the studio knows', () => {
    const result = loadPipeline(doc([n('s', 'source', {}, 7)]), testRegistry);
    expect(result.problems.map((p) => p.message)).toEqual(['Node "s" (source) has version 7; this studio knows up to version 1.']);
  });
});
