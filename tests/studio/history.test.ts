import { describe, expect, it } from 'vitest';
import { createHistory } from '../../src/studio/history.ts';

describe('createHistory', () => {
  it('undoes and redoes pushed values in order', () => {
    const h = createHistory('a');
    h.push('b');
    h.push('c');
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBe('a');
    expect(h.redo()).toBe('b');
    expect(h.redo()).toBe('c');
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe('c');
  });

  it('drops the redo branch when a new value is pushed after an undo', () => {
    const h = createHistory(1);
    h.push(2);
    h.undo();
    h.push(3);
    expect(h.canRedo).toBe(false);
    expect(h.present).toBe(3);
    expect(h.undo()).toBe(1);
  });

  it('ignores pushing the present value itself', () => {
    const value = { x: 1 };
    const h = createHistory(value);
    h.push(value);
    expect(h.canUndo).toBe(false);
  });

  it('keeps at most `limit` past states', () => {
    const h = createHistory(0, 3);
    for (let i = 1; i <= 10; i++) h.push(i);
    expect([h.undo(), h.undo(), h.undo(), h.undo()]).toEqual([9, 8, 7, 7]);
  });

  it('forgets everything on reset', () => {
    const h = createHistory('a');
    h.push('b');
    h.reset('z');
    expect({ present: h.present, canUndo: h.canUndo, canRedo: h.canRedo }).toEqual({ present: 'z', canUndo: false, canRedo: false });
  });

  it('amends the present without a new undo step, so one undo goes back past both', () => {
    const h = createHistory('a');
    h.push('b');
    h.amend('b2');
    expect(h.present).toBe('b2');
    expect(h.undo()).toBe('a');
    expect(h.canUndo).toBe(false);
    expect(h.redo()).toBe('b2');
  });

  it('refuses a limit below one', () => {
    expect(() => createHistory(0, 0)).toThrow('History limit must be a whole number of at least 1, got 0.');
  });
});
