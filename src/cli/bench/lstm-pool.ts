/**
 * The LSTM node's wall time on a pool of lanes (this thread + worker threads), the default
 * project's shape: 1,000 customers × 22 steps × 7 features, 16 units, 8 epochs, batch 64,
 * 5 folds + final model. Each lane count runs twice on a warm pool (workers started and wasm
 * loaded by a first, unmeasured run), best time kept, with the CPU time of all threads in that
 * run; results are checked bit-identical to one lane. Part of `npm run bench -- lstm` (`--pool-only` for this part alone).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createNodePool } from '../node-pool.ts';
import { inProcessPool, type TaskPool } from '../../engine/parallel.ts';
import type { PipelineDocument } from '../../engine/document.ts';
import type { Sequences } from '../../engine/ports.ts';
import { syntheticSequences } from '../../ml/lstm/synthetic.ts';
import { selectBackend } from '../../ml/tf-backend.ts';
import type { BenchRecord } from './report.ts';

const N = 1000;
const STEPS = 22;
const FEATURES = 7;

function sequences(): Sequences {
  const s = syntheticSequences({ n: N, steps: STEPS, features: FEATURES }, 3);
  return {
    x: s.x,
    n: N,
    steps: STEPS,
    features: FEATURES,
    labels: s.labels,
    ids: Array.from({ length: N }, (_, i) => `c${i}`),
    featureNames: Array.from({ length: FEATURES }, (_, j) => `f${j}`),
    stepLabels: Array.from({ length: STEPS }, (_, t) => `w${t}`),
    meta: { scaling: 'none' },
  };
}

/** CPU ticks (1/100 s) of each thread of this process by thread id, read from /proc (Linux); empty elsewhere. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  if (!existsSync('/proc/self/task')) return ticks;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ticks;
}

/**
 * The run's CPU critical path: the larger of this thread's CPU time and the busiest other
 * thread's (a worker lane; V8's helper threads are far below). On idle cores a run cannot beat
 * it, and on a loaded machine it is what wall time cannot be: independent of the other load.
 */
function criticalPath(before: Map<string, number>, after: Map<string, number>): { mainMs: number; busiestOtherMs: number; pathMs: number } {
  const main = String(process.pid);
  let mainMs = 0;
  let busiestOtherMs = 0;
  for (const [tid, end] of after) {
    const ms = (end - (before.get(tid) ?? 0)) * 10;
    if (tid === main) mainMs = ms;
    else busiestOtherMs = Math.max(busiestOtherMs, ms);
  }
  return { mainMs, busiestOtherMs, pathMs: Math.max(mainMs, busiestOtherMs) };
}

async function timeNode(pool: TaskPool, value: Sequences): Promise<{ ms: number; cpuMs: number; path: ReturnType<typeof criticalPath>; scores: number[] }> {
  const { nodeRegistry } = await import('../../../nodes/index.ts');
  const { Engine } = await import('../../engine/runner.ts');
  const { createNodeHost } = await import('../node-host.ts');
  const lstm = nodeRegistry['lstm'];
  if (!lstm) throw new Error('no lstm node kind');
  const feed = { kind: 'feed', version: 1, label: 'feed', description: '', category: 'data' as const, inputs: {}, outputs: { out: 'sequences' as const }, params: {}, messages: {}, run: async () => ({ out: value }) };
  const doc: PipelineDocument = {
    format: 'insight-pipeline', version: 1, name: 'pool bench', description: '', seed: 42, notes: [],
    nodes: [
      { id: 'feed', kind: 'feed', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'lstm', kind: 'lstm', version: 1, params: { units: 16, epochs: 8, batchSize: 64, folds: 5, finalModel: true }, position: [1, 0], note: '' },
    ],
    edges: [{ from: ['feed', 'out'], to: ['lstm', 'sequences'] }],
  };
  const engine = new Engine({ registry: { feed, lstm }, host: createNodeHost({ backend: () => 'wasm', pool }) });
  const t = performance.now();
  const cpu = process.cpuUsage();
  const ticks = threadTicks();
  const report = await engine.run(doc);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const path = criticalPath(ticks, threadTicks());
  if (!report.ok) throw new Error(`lstm failed: ${JSON.stringify(report.statuses['lstm']?.issues)}`);
  const p = engine.outputs(doc, 'lstm')?.predictions;
  const scores = p && typeof p === 'object' && 'array' in p && typeof p.array === 'function' ? Array.from(p.array('score'), Number) : [];
  return { ms, cpuMs: (used.user + used.system) / 1000, path, scores };
}

/** Measures 1 … cores + 1 lanes; returns one record per lane count. */
export async function measurePool(log: (line: string) => void): Promise<BenchRecord[]> {
  await selectBackend(['wasm', 'cpu']);
  const value = sequences();
  const cores = availableParallelism();
  const records: BenchRecord[] = [];
  let baseline: Awaited<ReturnType<typeof timeNode>> | null = null;
  let basePath: number | null = null;
  for (let lanes = 1; lanes <= Math.max(3, cores + 1); lanes++) {
    const pool = lanes === 1 ? inProcessPool : createNodePool({ workers: lanes - 1, local: true });
    const warmStart = performance.now();
    await timeNode(pool, value);
    const coldMs = performance.now() - warmStart;
    const runs = [await timeNode(pool, value), await timeNode(pool, value)];
    if ('close' in pool && typeof pool.close === 'function') pool.close();
    const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
    const shortestPath = runs.reduce((a, b) => (b.path.pathMs < a.path.pathMs ? b : a));
    baseline ??= best;
    const identical = runs.every((r) => r.scores.length === N && r.scores.every((s, i) => Object.is(s, baseline?.scores[i])));
    basePath ??= shortestPath.path.pathMs;
    log(`lstm pool: ${lanes} lane(s) best ${Math.round(best.ms)} ms, CPU ${Math.round(best.cpuMs)} ms, CPU critical path ${shortestPath.path.pathMs} ms (main ${shortestPath.path.mainMs}, busiest worker ${shortestPath.path.busiestOtherMs}; ${(basePath / shortestPath.path.pathMs).toFixed(2)}x 1 lane's) (cold ${Math.round(coldMs)} ms)`);
    records.push({
      suite: 'lstm',
      case: `pool ${lanes} lane${lanes > 1 ? 's' : ''} (this thread + ${lanes - 1} worker${lanes === 2 ? '' : 's'})`,
      lanes,
      workers: lanes - 1,
      cores,
      shape: `${N} x ${STEPS} x ${FEATURES}, 16 units, batch 64, 8 epochs, 5 folds + final`,
      best_ms: Math.round(best.ms),
      // Every thread of the process: the pool's overhead shows as CPU above the 1-lane figure.
      cpu_ms_of_best: Math.round(best.cpuMs),
      // Load-independent: per-thread CPU from /proc (10 ms ticks), shortest of the measured runs.
      cpu_critical_path_ms: shortestPath.path.pathMs,
      main_thread_cpu_ms: shortestPath.path.mainMs,
      busiest_worker_thread_cpu_ms: shortestPath.path.busiestOtherMs,
      critical_path_speedup_vs_1_lane: Number((basePath / shortestPath.path.pathMs).toFixed(3)),
      cold_first_run_ms: Math.round(coldMs),
      speedup_vs_1_lane: Number((baseline.ms / best.ms).toFixed(3)),
      bit_identical_to_1_lane: identical,
    });
  }
  return records;
}
