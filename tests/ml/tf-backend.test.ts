import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { defaultLadder, selectBackend } from '../../src/ml/tf-backend.ts';

describe('selectBackend', () => {
  it('defaults to wasm then cpu in Node', () => {
    expect(defaultLadder()).toEqual(['wasm', 'cpu']);
  });

  it('skips backends that do not exist here and reports why', async () => {
    const selection = await selectBackend(['webgpu', 'no-such-backend', 'wasm', 'cpu']);
    expect(selection).toEqual({
      backend: 'wasm',
      tried: [
        { name: 'webgpu', error: 'not available in this environment' },
        { name: 'no-such-backend', error: 'not available in this environment' },
        { name: 'wasm' },
      ],
    });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('skips a backend that initialises but cannot compute', async () => {
    tf.registerBackend(
      'kernel-less',
      () =>
        new (class extends tf.KernelBackend {
          override dispose(): void {}
        })(),
    );
    const selection = await selectBackend(['kernel-less', 'cpu']);
    expect(selection.backend).toBe('cpu');
    expect(selection.tried[0]?.name).toBe('kernel-less');
    expect(selection.tried[0]?.error).toMatch(/not yet implemented/);
    tf.removeBackend('kernel-less');
  });

  it('throws, listing every failure, when nothing works', async () => {
    await expect(selectBackend(['nope'])).rejects.toThrow('No TensorFlow.js backend could start: nope (not available in this environment).');
  });
});
