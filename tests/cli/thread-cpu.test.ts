import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ownThreadTimes, processThreadTimes } from '../../src/cli/thread-cpu.ts';

const linux = existsSync('/proc/thread-self/schedstat');

describe.skipIf(!linux)('per-thread CPU from /proc schedstat', () => {
  it('counts at least the CPU a 60 ms busy loop spent on this thread (within 5 ms), and lists this thread under the process id', () => {
    const before = ownThreadTimes();
    const end = performance.now() + 60;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
    const after = ownThreadTimes();
    expect(x).toBeGreaterThan(0);
    if (!before || !after) throw new Error('no schedstat on this Linux');
    // Wall 60 ms = CPU + time waiting for a core + time descheduled otherwise; CPU + wait cannot be less than 55 ms.
    expect(after.cpuMs - before.cpuMs + (after.waitMs - before.waitMs)).toBeGreaterThan(55);
    expect(after.cpuMs - before.cpuMs).toBeGreaterThan(0);
    expect(processThreadTimes().has(process.pid)).toBe(true);
  });
});
