import { describe, expect, it } from 'vitest';
import { boundaryCollector, fullCollection } from '../../src/cli/collect.ts';

describe('collecting garbage at node boundaries (src/cli/collect.ts)', () => {
  it('collects only when memory in use grew past the threshold since the last collection', () => {
    let used = 100;
    const calls: number[] = [];
    const collect = boundaryCollector({
      usage: () => used,
      threshold: 50,
      gc: () => {
        calls.push(used);
        used = 120;
      },
    });
    used = 150;
    expect(collect()).toBe(false);
    used = 151;
    expect(collect()).toBe(true);
    expect(calls).toEqual([151]);
    // Growth counts from what was left after the collection (120).
    used = 170;
    expect(collect()).toBe(false);
    used = 171;
    expect(collect()).toBe(true);
    expect(calls).toEqual([151, 171]);
  });

  it('counts growth from the lowest reading, so a collection V8 made itself moves the mark', () => {
    let used = 100;
    let collections = 0;
    const collect = boundaryCollector({ usage: () => used, threshold: 50, gc: () => void collections++ });
    used = 20;
    expect(collect()).toBe(false);
    used = 80;
    expect(collect()).toBe(true);
    expect(collections).toBe(1);
  });

  it('does nothing where no collection can be had', () => {
    let used = 0;
    const collect = boundaryCollector({ usage: () => used, threshold: 1, gc: null });
    used = 10;
    expect(collect()).toBe(false);
  });

  it("has V8's full collection in Node without leaving gc on the global scope", () => {
    const gc = fullCollection();
    expect(typeof gc).toBe('function');
    expect(Reflect.get(globalThis, 'gc')).toBeUndefined();
    // A large array no one holds is freed by it: array buffers counted by V8 fall.
    let garbage: Float64Array | null = new Float64Array(4 * 1048576);
    garbage[0] = 1;
    const before = process.memoryUsage().arrayBuffers;
    expect(before).toBeGreaterThan(32 * 1048576);
    garbage = null;
    gc!();
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 16 * 1048576);
  });
});
