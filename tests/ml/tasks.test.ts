import { describe, expect, it } from 'vitest';
import type { TaskRequest, TaskReply } from '../../src/engine/parallel.ts';
import { serveTask } from '../../src/engine/parallel.ts';
import { lstmFitTask, type LstmFitInput, type LstmFitOutput } from '../../src/ml/lstm/fit-task.ts';
import { syntheticSequences } from '../../src/ml/lstm/synthetic.ts';
import type { LstmOptions } from '../../src/ml/lstm/types.ts';
import { createTaskRegistry } from '../../src/ml/tasks.ts';

const data = syntheticSequences({ n: 48, steps: 5, features: 4 }, 4);
const options: LstmOptions = { units: 4, layers: 1, dropout: 0.1, epochs: 2, batchSize: 16, learningRate: 0.02, patience: 0, classWeight: 'balanced', seed: 9, implementation: 'fast' };
const input = (backend: string, extra: Partial<LstmOptions> = {}): LstmFitInput => ({ train: data, monitor: null, score: data, options: { ...options, ...extra }, backend });

/** Runs one task through the registry as a worker would; its output, or the error it answered with. */
async function serve(registry: ReturnType<typeof createTaskRegistry>, task: string, taskInput: unknown): Promise<unknown> {
  const replies: TaskReply[] = [];
  const request: TaskRequest = { id: 1, task, input: taskInput };
  await serveTask(registry, request, (reply) => replies.push(reply));
  const last = replies[replies.length - 1];
  if (last?.type === 'done') return last.output;
  throw new Error(`task ${task} answered ${JSON.stringify(last)}`);
}

function fitOutput(v: unknown): Extract<LstmFitOutput, { ok: true }> {
  if (!lstmFitTask.isOutput(v) || !v.ok) throw new Error(`not a trained fit: ${JSON.stringify(v)}`);
  return v;
}

describe('the pool task registry', () => {
  it('trains an LSTM on wasm without loading TensorFlow.js, bit-identical to training through the tfjs lane', async () => {
    let prepared = 0;
    const registry = createTaskRegistry(async () => void prepared++);
    const lean = fitOutput(await serve(registry, 'lstm.fit', input('wasm')));
    // tfjs-core sets this global when it loads.
    expect(Reflect.has(globalThis, '_tfengine')).toBe(false);
    expect(prepared).toBe(0);
    expect(lean.model.engine).toBe('native-simd');
    expect(lean.model.backend).toBe('wasm');

    const { selectBackend } = await import('../../src/ml/tf-backend.ts');
    const { trainLstm } = await import('../../src/ml/lstm/train.ts');
    const { predictLstm } = await import('../../src/ml/lstm/predict.ts');
    await selectBackend(['wasm']);
    const full = await trainLstm(data, null, { ...options }, { ladder: [] });
    const scores = await predictLstm(full, data.x, data.n, data.steps, data.features);
    expect(full.engine).toBe('native-simd');
    expect(full.backend).toBe('wasm');
    expect(Array.from(lean.model.weights.layers[0]?.kernel ?? [])).toEqual(Array.from(full.weights.layers[0]?.kernel ?? [1]));
    expect(Array.from(lean.model.weights.dense.kernel)).toEqual(Array.from(full.weights.dense.kernel));
    expect(lean.model.history.map((h) => h.loss)).toEqual(full.history.map((h) => h.loss));
    expect(Array.from(lean.scores ?? [])).toEqual(Array.from(scores));
  }, 120_000);

  it('prepares the host for TensorFlow.js once, and only for a task that needs it', async () => {
    let prepared = 0;
    const registry = createTaskRegistry(async () => void prepared++);
    fitOutput(await serve(registry, 'lstm.fit', input('cpu')));
    expect(prepared).toBe(0);
    const ops = fitOutput(await serve(registry, 'lstm.fit', input('cpu', { engine: 'tfjs-ops' })));
    expect(ops.model.engine).toBe('tfjs-ops');
    expect(ops.model.backend).toBe('cpu');
    fitOutput(await serve(registry, 'lstm.fit', input('cpu', { engine: 'tfjs-ops' })));
    expect(prepared).toBe(1);
  }, 120_000);
  it('holds every task kind under the name its spec carries', async () => {
    const registry = createTaskRegistry();
    const specs = await Promise.all([
      import('../../src/ml/lstm/fit-task.ts').then((m) => m.lstmFitTask),
      import('../../src/ml/lstm/probe.ts').then((m) => m.lstmProbeTask),
      import('../../src/ml/lstm/attribution-task.ts').then((m) => m.lstmAttributionTask),
      import('../../src/ml/lstm/importance.ts').then((m) => m.lstmShuffleScoresTask),
      import('../../src/ml/segment-tasks.ts').then((m) => m.kmeansRestartTask),
      import('../../src/ml/segment-tasks.ts').then((m) => m.scanKTask),
      import('../../src/ml/tabular-model.ts').then((m) => m.tabularFitTask),
    ]);
    expect([...registry.keys()].sort()).toEqual(specs.map((s) => s.name).sort());
  });
});
