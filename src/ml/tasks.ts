/**
 * Every task a worker pool can run, by name (src/engine/parallel.ts). A pool worker builds this
 * registry; a node names a task by passing its spec to `host.pool.map`. Only the LSTM fit loads
 * with the registry, and it needs no TensorFlow.js on wasm or cpu (./lstm/lane.ts); every other
 * task's module loads on its first task, so a worker starts without the tfjs package.
 */
import type { AnyTaskSpec } from '../engine/parallel.ts';
import { lstmFitTaskWith } from './lstm/fit-task.ts';
import { loadTfLane, type TfLaneLoader } from './lstm/lane.ts';

/** A task whose module loads when it first runs. */
function lazyTask(name: string, load: () => Promise<AnyTaskSpec>): AnyTaskSpec {
  let spec: Promise<AnyTaskSpec> | null = null;
  return { name, run: async (input, report, signal) => (await (spec ??= load())).run(input, report, signal) };
}

/**
 * The registry of pool tasks. `prepareTensorFlow` runs once, before the first task that needs
 * tfjs (a page's worker sets where the wasm binaries are served; Node activates its ladder).
 */
export function createTaskRegistry(prepareTensorFlow: () => Promise<void> = async () => undefined): ReadonlyMap<string, AnyTaskSpec> {
  let prepared: Promise<void> | null = null;
  const prepare = (): Promise<void> => (prepared ??= prepareTensorFlow());
  const withTf = async <T>(load: () => Promise<T>): Promise<T> => {
    await prepare();
    return load();
  };
  const tfLane: TfLaneLoader = () => withTf(loadTfLane);
  const tasks: AnyTaskSpec[] = [
    lstmFitTaskWith(tfLane),
    lazyTask('lstm.probe', () => withTf(async () => (await import('./lstm/probe.ts')).lstmProbeTask)),
    lazyTask('lstm.attribution', () => withTf(async () => (await import('./lstm/attribution-task.ts')).lstmAttributionTask)),
    lazyTask('lstm.shuffle-scores', () => withTf(async () => (await import('./lstm/importance.ts')).lstmShuffleScoresTask)),
    lazyTask('kmeans.restart', async () => (await import('./segment-tasks.ts')).kmeansRestartTask),
    lazyTask('segment.scanK', async () => (await import('./segment-tasks.ts')).scanKTask),
    lazyTask('tabular.fit', async () => (await import('./tabular-model.ts')).tabularFitTask),
  ];
  return new Map(tasks.map((t) => [t.name, t]));
}
