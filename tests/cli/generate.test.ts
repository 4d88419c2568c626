import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateCommand, parseGenerateArgs } from '../../src/cli/generate.ts';
import { generateTexts } from '../sample-data/measure.ts';

describe('parseGenerateArgs', () => {
  it('reads required and optional flags in both spellings', () => {
    expect(parseGenerateArgs(['--customers', '50', '--seed=7', '--out', 'x', '--weeks', '12', '--dirty=0.02'])).toEqual({
      options: { customers: 50, seed: 7, weeks: 12, dirty: 0.02 },
      out: 'x',
    });
  });
});

describe('generateCommand', () => {
  let dir: string;
  let stderr: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'insight-generate-test-'));
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams the six files into --out, equal to an in-memory generation', async () => {
    const out = join(dir, 'nested', 'set');
    expect(await generateCommand(['--customers', '60', '--seed', '3', '--out', out, '--dirty', '0.02'])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['customers.csv', 'events.csv', 'manifest.json', 'products.csv', 'transactions.csv', 'truth.csv']);
    const memory = await generateTexts({ customers: 60, seed: 3, dirty: 0.02 });
    expect(readFileSync(join(out, 'events.csv'), 'utf8') === memory.events).toBe(true);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(memory.manifest);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^insight generate: 60 customers; /);
  });

  it.each([
    [['--seed', '1', '--out', 'x'], 'insight generate: Missing --customers. Usage: insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]\n'],
    [['--customers', 'many', '--seed', '1', '--out', 'x'], 'insight generate: --customers must be a whole number; got "many".\n'],
    [['--customers', '5', '--seed', '1', '--out', 'x', '--dirty', 'lots'], 'insight generate: --dirty must be a number such as 0.01; got "lots".\n'],
    [['--customers', '5', '--seed', '1', '--out', 'x', '--colour', 'red'], 'insight generate: Unknown flag --colour. Usage: insight generate --customers N --seed S --out DIR [--weeks W] [--dirty RATE]\n'],
    [['--customers', '5', '--seed', '1', '--out'], 'insight generate: --out needs a value.\n'],
    [['--customers', '5', '--customers', '6', '--seed', '1', '--out', 'x'], 'insight generate: --customers is given twice.\n'],
    [['--customers', '0', '--seed', '1', '--out', 'x'], 'insight generate: --customers must be an integer from 1 to 10000000; got 0.\n'],
    [['--customers', '5', '--seed', '1', '--out', 'x', '--dirty', '0.5'], 'insight generate: --dirty must be a number from 0 to 0.1; got 0.5.\n'],
  ])('exits 2 with one line for %j', async (argv, message) => {
    expect(await generateCommand(argv.map((a) => (a === 'x' ? join(dir, 'x') : a)))).toBe(2);
    expect(stderr).toEqual([message]);
    // Bad options never leave empty files behind.
    expect(readdirSync(dir)).toEqual([]);
  });
});
