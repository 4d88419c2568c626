/**
 * Every task a worker pool can run, by name (src/engine/parallel.ts). A pool worker imports
 * this registry; a node names a task by passing its spec to `host.pool.map`.
 */
import type { AnyTaskSpec } from '../engine/parallel.ts';
import { lstmAttributionTask } from './lstm/attribution-task.ts';
import { lstmFitTask } from './lstm/fit-task.ts';
import { lstmShuffleScoresTask } from './lstm/importance.ts';
import { lstmProbeTask } from './lstm/probe.ts';
import { kmeansRestartTask, scanKTask } from './segment-tasks.ts';
import { tabularFitTask } from './tabular-model.ts';

/** The registry of pool tasks. */
export const taskRegistry: ReadonlyMap<string, AnyTaskSpec> = new Map<string, AnyTaskSpec>([
  [lstmFitTask.name, lstmFitTask],
  [lstmProbeTask.name, lstmProbeTask],
  [lstmAttributionTask.name, lstmAttributionTask],
  [lstmShuffleScoresTask.name, lstmShuffleScoresTask],
  [kmeansRestartTask.name, kmeansRestartTask],
  [scanKTask.name, scanKTask],
  [tabularFitTask.name, tabularFitTask],
]);
