import { describe, expect, it } from 'vitest';
import { initLstmWeights } from '../../../src/ml/lstm/init.ts';
import { NativeEngine, NativeLstm } from '../../../src/ml/lstm/native-engine.ts';
import { syntheticSequences } from '../../../src/ml/lstm/synthetic.ts';
import { warmLstmKernels } from '../../../src/ml/lstm/warm.ts';

describe('warmLstmKernels', () => {
  it('runs its steps and leaves the next engine on this thread computing exactly as one on fresh memory', async () => {
    await warmLstmKernels(3);
    const data = syntheticSequences({ n: 32, steps: 7, features: 4 }, 2);
    const config = { steps: 7, features: 4, units: 6, layers: 1, learningRate: 0.02, maxBatch: 32 };
    const weights = initLstmWeights({ features: 4, units: 6, layers: 1 }, 9);
    const batch = { x: data.x, y: data.labels, sampleWeight: new Float32Array(32).fill(1), mask: null, size: 32 };
    const afterWarm = await NativeEngine.create(config, weights);
    const fresh = new NativeEngine(new NativeLstm(config, weights));
    const a = await afterWarm.trainBatch(batch);
    const b = await fresh.trainBatch(batch);
    expect(Object.is(a.loss, b.loss)).toBe(true);
    expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
    const wa = await afterWarm.getWeights();
    const wb = await fresh.getWeights();
    expect(Array.from(wa.layers[0]?.kernel ?? [])).toEqual(Array.from(wb.layers[0]?.kernel ?? []));
    afterWarm.dispose();
  });
});
