import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave, type AutosaveState } from '../../src/storage/autosave.ts';

describe('createAutosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a burst of edits into one save of the newest state after the quiet period', async () => {
    const saved: number[] = [];
    const states: AutosaveState[] = [];
    const autosave = createAutosave<number>({ delayMs: 500, save: async (v) => void saved.push(v), onState: (s) => states.push(s) });
    autosave.schedule(1);
    await vi.advanceTimersByTimeAsync(300);
    autosave.schedule(2);
    autosave.schedule(3);
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual([3]);
    expect(states.slice(-2)).toEqual(['saving', 'saved']);
  });

  it('saves the pending state at once on flush and nothing after cancel', async () => {
    const saved: string[] = [];
    const autosave = createAutosave<string>({ delayMs: 1000, save: async (v) => void saved.push(v) });
    autosave.schedule('a');
    await autosave.flush();
    expect(saved).toEqual(['a']);
    autosave.schedule('b');
    autosave.cancel();
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual(['a']);
  });

  it('reports a failed save and saves again on the next edit', async () => {
    let fail = true;
    const saved: string[] = [];
    const errors: unknown[] = [];
    const autosave = createAutosave<string>({
      delayMs: 10,
      save: async (v) => {
        if (fail) throw new Error('full');
        saved.push(v);
      },
      onState: (s, e) => {
        if (s === 'error') errors.push(e);
      },
    });
    autosave.schedule('x');
    await vi.advanceTimersByTimeAsync(10);
    expect(errors.map((e) => (e instanceof Error ? e.message : e))).toEqual(['full']);
    fail = false;
    autosave.schedule('y');
    await vi.advanceTimersByTimeAsync(10);
    expect(saved).toEqual(['y']);
  });
});
