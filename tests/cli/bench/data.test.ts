import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');

describe('the data bench child', () => {
  it("reports its own peak RSS, not the RSS its parent had when it was spawned", () => {
    // Linux carries a parent's RSS at fork into the child's getrusage maxRSS, across exec.
    const held = Buffer.alloc(400 * 1048576, 1);
    const out = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'src', 'cli', 'bench', 'data.ts'), '--data-bench-child', 'idle', '/nonexistent'], { encoding: 'utf8', cwd: repo });
    expect(out.status).toBe(0);
    const { maxRssBytes } = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '') as { maxRssBytes: number };
    expect(held[held.length - 1]).toBe(1);
    // Node with tsx and nothing loaded holds about 75 MiB; the parent here holds more than 400.
    expect(maxRssBytes / 1048576).toBeGreaterThan(20);
    expect(maxRssBytes / 1048576).toBeLessThan(300);
  });
});
