import { describe, expect, it } from 'vitest';
import { BACKEND_LADDER, defaultLadder, forcedLadder, isBackendName, ladderAfter } from '../../src/ml/backend-ladder.ts';

describe('the backend ladder', () => {
  it('ranks webgpu, webgl, wasm, cpu and defaults to wasm then cpu in Node', () => {
    expect([...BACKEND_LADDER]).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(defaultLadder()).toEqual(['wasm', 'cpu']);
  });

  it('hands a failing backend over to the ones after it, and an unknown one to none', () => {
    expect(ladderAfter('webgpu')).toEqual(['webgl', 'wasm', 'cpu']);
    expect(ladderAfter('wasm')).toEqual(['cpu']);
    expect(ladderAfter('cpu')).toEqual([]);
    expect(ladderAfter('nope')).toEqual([]);
    expect(ladderAfter('webgpu', ['webgpu', 'cpu'])).toEqual(['cpu']);
  });

  it('forces a backend with cpu behind it, and knows only its own names', () => {
    expect(forcedLadder('webgpu')).toEqual(['webgpu', 'cpu']);
    expect(forcedLadder('cpu')).toEqual(['cpu']);
    expect(isBackendName('webgl')).toBe(true);
    expect(isBackendName('toString')).toBe(false);
  });
});
