import { describe, expect, it } from 'vitest';
import { canConnect, portTypes, type PortType } from '../../src/engine/ports.ts';

describe('canConnect', () => {
  it('allows every port type into itself', () => {
    for (const t of portTypes) expect(canConnect(t, t)).toEqual({ ok: true });
  });
  const cases: [PortType, PortType, boolean][] = [
    ['predictions', 'table', true],
    ['recommendations', 'table', true],
    ['table', 'predictions', false],
    ['metrics', 'table', false],
    ['model', 'sequences', false],
    ['segments', 'table', false],
    ['transform', 'table', false],
  ];
  for (const [from, to, ok] of cases) {
    it(`${ok ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
      const result = canConnect(from, to);
      expect(result.ok).toBe(ok);
      if (!result.ok) expect(result.reason).toBe(`a ${from} output cannot feed a ${to} input`);
    });
  }
});
