/**
 * Warms a worker's LSTM path while it waits for its first task: compiles the native kernels
 * and runs a few tiny training steps, so that the optimiser has compiled the forward, backward
 * and Adam code (and the engine's memory is ready for reuse) before a fold arrives. Without it
 * a fresh worker trains its first fold on unoptimised code and compiles alongside, on the same
 * cores the other lanes use. It changes no result: a model on reused memory computes exactly as
 * on fresh memory (native-engine.ts clears its layout).
 */
import { initLstmWeights } from './init.ts';
import { NativeEngine } from './native-engine.ts';
import { nativeKernelsSupported } from './native-kernels.ts';
import type { TrainBatch } from './engine.ts';

/** Runs `steps` training steps of a 4-unit LSTM on 16 × 6 × 3 zeros-and-ones; resolves when done (at once without WebAssembly SIMD). */
export async function warmLstmKernels(steps = 24): Promise<void> {
  if (!nativeKernelsSupported()) return;
  const size = 16;
  const shape = { steps: 6, features: 3, units: 4, layers: 1 };
  const engine = await NativeEngine.create({ ...shape, learningRate: 0.01, maxBatch: size }, initLstmWeights({ features: shape.features, units: shape.units, layers: 1 }, 1));
  try {
    const batch: TrainBatch = {
      x: Float32Array.from({ length: size * shape.steps * shape.features }, (_, i) => (i % 5) / 4),
      y: Float32Array.from({ length: size }, (_, i) => i % 2),
      sampleWeight: new Float32Array(size).fill(1),
      mask: null,
      size,
    };
    for (let s = 0; s < steps; s++) {
      await engine.trainBatch(batch);
      // Let a task that arrives meanwhile start: the warm-up never holds a worker for long.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    await engine.predict(batch.x, size);
  } finally {
    engine.dispose();
  }
}
