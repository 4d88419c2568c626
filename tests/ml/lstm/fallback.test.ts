import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LstmBackendFailure } from '../../../src/ml/lstm/errors.ts';
import { overrideFusedVariant } from '../../../src/ml/lstm/gpu-kernels.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { trainLstm } from '../../../src/ml/lstm/train.ts';
import type { BackendFallbackEvent, LstmOptions } from '../../../src/ml/lstm/types.ts';
import { selectBackend } from '../../../src/ml/tf-backend.ts';

/**
 * A stand-in for a GPU that is lost mid-run: a copy of the cpu backend whose Sigmoid
 * kernel starts failing after a set number of calls.
 */
const failing = { calls: 0, failAfter: Number.POSITIVE_INFINITY };

beforeAll(() => {
  tf.registerBackend('flaky', () => new MathBackendCPU());
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    const wrapped: tf.KernelFunc =
      kernel.kernelName === 'Sigmoid'
        ? (args) => {
            failing.calls++;
            if (failing.calls > failing.failAfter) throw new Error('device lost (simulated)');
            return kernel.kernelFunc(args);
          }
        : kernel.kernelFunc;
    tf.registerKernel({ ...kernel, backendName: 'flaky', kernelFunc: wrapped });
  }
});

afterAll(() => {
  tf.removeBackend('flaky');
});

const data = syntheticSequences({ n: 64, steps: 4, features: 4 }, 8);
const options: LstmOptions = {
  units: 5,
  layers: 1,
  dropout: 0,
  epochs: 4,
  batchSize: 16,
  learningRate: 0.01,
  patience: 0,
  classWeight: 'none',
  seed: 3,
  implementation: 'fast',
};

describe('backend fallback', () => {
  it('falls back down the ladder when the backend fails mid-run, keeping the completed epochs and saying so', async () => {
    await selectBackend(['flaky']);
    // Each batch calls Sigmoid 4× per step forward plus once for the probabilities; fail in epoch 3.
    failing.calls = 0;
    failing.failAfter = 2 * 4 * (4 + 1);
    const events: BackendFallbackEvent[] = [];
    const model = await trainLstm(data, null, options, { ladder: ['flaky', 'cpu'], onBackendFallback: (e) => events.push(e) });
    expect(events.length).toBe(1);
    expect(events[0]).toMatchObject({ from: 'flaky', to: 'cpu', epochsCompleted: 2 });
    expect(events[0]?.reason).toContain('device lost (simulated)');
    expect(model.backend).toBe('cpu');
    expect(model.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(model.epochsRun).toBe(4);
  });

  it('continues from the last completed epoch: the first epochs match an uninterrupted run', async () => {
    await selectBackend(['cpu']);
    // The same arithmetic as the flaky copy, which has no fused kernels: composed ops.
    overrideFusedVariant('composed');
    const reference = await trainLstm(data, null, { ...options, engine: 'tfjs-ops' }).finally(() => overrideFusedVariant(null));
    await selectBackend(['flaky']);
    failing.calls = 0;
    failing.failAfter = 2 * 4 * (4 + 1);
    const resumed = await trainLstm(data, null, { ...options, engine: 'tfjs-ops' }, { ladder: ['flaky', 'cpu'] });
    expect(resumed.history.slice(0, 2).map((h) => h.loss)).toEqual(reference.history.slice(0, 2).map((h) => h.loss));
    // Adam restarts after the switch, so later epochs differ but keep improving.
    expect(resumed.history[3]?.loss).toBeLessThan(resumed.history[0]?.loss ?? 0);
  });

  it('rejects with LstmBackendFailure carrying the resume state when no backend is left', async () => {
    await selectBackend(['flaky']);
    failing.calls = 0;
    failing.failAfter = 4 * (4 + 1);
    const error = await trainLstm(data, null, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LstmBackendFailure);
    if (!(error instanceof LstmBackendFailure)) return;
    expect(error.backend).toBe('flaky');
    expect(error.resume.history.length).toBe(1);
    expect(error.message).toBe('Training on the flaky backend failed: device lost (simulated)');
    failing.failAfter = Number.POSITIVE_INFINITY;
  });
});
