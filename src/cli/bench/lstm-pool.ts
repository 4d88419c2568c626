/**
 * The LSTM node's wall time on a pool of lanes (this thread + worker threads), the default
 * project's shape: 1,000 customers × 22 steps × 7 features, 16 units, 8 epochs, batch 64,
 * 5 folds + final model. `--runs R` (default 5) rounds on warm pools (workers started and
 * warmed by a first, unmeasured run, as the studio's pool stays between runs), and `--cold C`
 * (default 5) rounds where each pool is created at the run's start (workers spawned, loaded and
 * warmed inside the measured time, as a first `insight run`). Lane counts are interleaved within
 * a round (order rotated), so each round's ratios compare runs seconds apart under the same
 * load; every round also times a trivially parallel loop on the same lanes (the ceiling, see
 * ./lstm-pool-ceiling.ts). The pool's trace splits each run (./lstm-pool-trace.ts), and every
 * thread's CPU and run-queue wait come from /proc schedstat. Results are checked bit-identical
 * to one lane. Part of `npm run bench -- lstm` (`--pool-only` for this part alone).
 */
import { availableParallelism, loadavg } from 'node:os';
import { createNodePool } from '../node-pool.ts';
import type { PoolEvent, TaskPool, TaskSpec, WorkerPool } from '../../engine/parallel.ts';
import type { PipelineDocument } from '../../engine/document.ts';
import type { Sequences } from '../../engine/ports.ts';
import { syntheticSequences } from '../../ml/lstm/synthetic.ts';
import { selectBackend } from '../../ml/tf-backend.ts';
import { processThreadTimes } from '../thread-cpu.ts';
import { calibrate, separateSessions, SpinLanes } from './lstm-pool-ceiling.ts';
import { bootPhases, breakdown, type RunBreakdown } from './lstm-pool-trace.ts';
import type { BenchRecord } from './report.ts';

const N = 1000;
const STEPS = 22;
const FEATURES = 7;
const TRAININGS = 6;

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

/** One measured node run. */
interface Run {
  wallMs: number;
  /** Every thread of the process (process.cpuUsage). */
  cpuMs: number;
  /** This thread's CPU and run-queue wait (schedstat). */
  mainCpuMs: number;
  mainWaitMs: number;
  /** All other threads (workers, V8 helpers): CPU and run-queue wait. */
  otherCpuMs: number;
  otherWaitMs: number;
  /** Busiest other thread's CPU (a worker lane). */
  busiestOtherCpuMs: number;
  parts: RunBreakdown | null;
  scores: number[];
}

async function timeNode(pool: TaskPool, value: Sequences): Promise<Run> {
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
  const before = processThreadTimes();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const report = await engine.run(doc);
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const after = processThreadTimes();
  if (!report.ok) throw new Error(`lstm failed: ${JSON.stringify(report.statuses['lstm']?.issues)}`);
  let mainCpuMs = 0;
  let mainWaitMs = 0;
  let otherCpuMs = 0;
  let otherWaitMs = 0;
  let busiestOtherCpuMs = 0;
  for (const [tid, end] of after) {
    const start = before.get(tid) ?? { cpuMs: 0, waitMs: 0 };
    const c = end.cpuMs - start.cpuMs;
    const w = end.waitMs - start.waitMs;
    if (tid === process.pid) {
      mainCpuMs = c;
      mainWaitMs = w;
    } else {
      otherCpuMs += c;
      otherWaitMs += w;
      busiestOtherCpuMs = Math.max(busiestOtherCpuMs, c);
    }
  }
  const p = engine.outputs(doc, 'lstm')?.predictions;
  const scores = p && typeof p === 'object' && 'array' in p && typeof p.array === 'function' ? Array.from(p.array('score'), Number) : [];
  return { wallMs, cpuMs: (used.user + used.system) / 1000, mainCpuMs, mainWaitMs, otherCpuMs, otherWaitMs, busiestOtherCpuMs, parts: null, scores };
}

/** A pool whose maps ignore spec.cost: tasks go out in input order (the final model last), for the scheduling comparison. */
function inputOrder(pool: TaskPool): TaskPool {
  return {
    lanes: pool.lanes,
    map: <I, O, R>(spec: TaskSpec<I, O, R>, inputs: readonly I[], options: Parameters<TaskPool['map']>[2]) => {
      const { cost: _cost, ...rest } = spec;
      return pool.map<I, O, R>(rest, inputs, options);
    },
  };
}

/**
 * A run's wall time had no other process wanted the cores (an estimate): the serial part less
 * this thread's run-queue wait outside the trainings, plus the slowest lane's trainings less
 * their wait, with its transfer and return. Idle time inside the map is left out: under load it
 * is mostly the other lane's waiting.
 */
function withoutWait(run: Run): number {
  const parts = run.parts;
  if (!parts) return run.wallMs - run.mainWaitMs;
  const lane0Wait = parts.lanes.find((l) => l.lane === 0)?.waitMs ?? 0;
  const serial = run.wallMs - parts.mapMs - Math.max(0, run.mainWaitMs - lane0Wait);
  const slowest = Math.max(...parts.lanes.map((l) => l.trainMs - l.waitMs + Math.max(0, l.transitMs) + l.returnMs));
  return serial + slowest;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] ?? Number.NaN) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const r0 = (v: number): number => Math.round(v);
const r2 = (v: number): number => Math.round(v * 100) / 100;
const spread = (xs: readonly number[], f = r0): string => `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;

function argNumber(argv: readonly string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  const v = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return Number.isInteger(v) && v >= 0 ? v : fallback;
}

/** A pool with its own trace buffer. */
interface Traced {
  pool: WorkerPool;
  events: PoolEvent[];
}

/** Waits until `count` workers of a traced pool have said they are warmed (at most `ms`); whether they all did. */
async function allWarmed(t: Traced, count: number, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (t.events.filter((e) => e.type === 'warmed').length < count) {
    if (performance.now() > end) return false;
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function tracedPool(workers: number): Traced {
  const events: PoolEvent[] = [];
  return { pool: createNodePool({ workers, local: true, trace: (e) => events.push(e) }), events };
}

async function measured(t: Traced, value: Sequences, pool: TaskPool = t.pool): Promise<Run> {
  t.events.length = 0;
  const run = await timeNode(pool, value);
  return { ...run, parts: breakdown(t.events) };
}

/** Measures 1 … max(3, cores + 1) lanes warm and cold, with the ceiling; returns the records. */
export async function measurePool(log: (line: string) => void, argv: readonly string[] = []): Promise<BenchRecord[]> {
  const quick = argv.includes('--quick');
  const rounds = argNumber(argv, '--runs', quick ? 2 : 5);
  const coldRounds = argNumber(argv, '--cold', quick ? 1 : 5);
  await selectBackend(['wasm', 'cpu']);
  const value = sequences();
  const cores = availableParallelism();
  const maxLanes = Math.max(3, cores + 1);
  const laneCounts = Array.from({ length: maxLanes }, (_, i) => i + 1);
  const loadStart = loadavg();
  log(`lstm pool: ${cores} cores, load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}; ${rounds} warm and ${coldRounds} cold rounds`);

  const spin = new SpinLanes();
  await spin.start(maxLanes - 1);
  const iterations = calibrate(100);

  const warm = new Map<number, Traced>(laneCounts.map((lanes) => [lanes, tracedPool(lanes - 1)]));
  let reference: number[] | null = null;
  for (const lanes of laneCounts) {
    const t = warm.get(lanes);
    if (!t) continue;
    const first = await timeNode(t.pool, value);
    reference ??= first.scores;
    // A loaded machine may start workers slower than one run: the measured rounds must not share the cores with a start.
    if (!(await allWarmed(t, lanes - 1, 120_000))) log(`  (the ${lanes}-lane pool's workers did not all warm up within 120 s)`);
    t.pool.warm();
  }
  const same = (run: Run): boolean => run.scores.length === N && run.scores.every((s, i) => Object.is(s, reference?.[i]));
  let identical = true;

  type Row = { lanes: number; run: Run; ceilingMs: number };
  const warmRows: Row[] = [];
  const inputOrderRows: { run: Run; costRun: Run }[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = laneCounts.map((_, i) => laneCounts[(i + r) % laneCounts.length] ?? 1);
    for (const lanes of order) {
      const t = warm.get(lanes);
      if (!t) continue;
      const run = await measured(t, value);
      identical &&= same(run);
      const ceilingMs = await spin.run(lanes, TRAININGS, iterations);
      warmRows.push({ lanes, run, ceilingMs });
      log(`  warm round ${r + 1}, ${lanes} lane(s): ${r0(run.wallMs)} ms wall, CPU ${r0(run.cpuMs)} (main ${r0(run.mainCpuMs)} + wait ${r0(run.mainWaitMs)}, others ${r0(run.otherCpuMs)} + wait ${r0(run.otherWaitMs)}), ceiling loop ${r0(ceilingMs)} ms`);
    }
    // Scheduling: the same 2-lane pool with the tasks in input order (the final model last), beside a costliest-first run.
    const two = warm.get(2);
    if (two) {
      const costRun = warmRows[warmRows.length - order.length + order.indexOf(2)]?.run;
      const run = await measured(two, value, inputOrder(two.pool));
      identical &&= same(run);
      if (costRun) inputOrderRows.push({ run, costRun });
    }
  }

  // Diagnostic: the ceiling loop's 2-lane work in two processes with sessions of their own, beside 1 lane, 3 rounds.
  const sessionRows: { oneMs: number; twoThreadsMs: number; twoSessionsMs: number | null }[] = [];
  for (let r = 0; r < Math.min(3, Math.max(1, rounds)); r++) {
    const oneMs = await spin.run(1, TRAININGS, iterations);
    const twoThreadsMs = await spin.run(2, TRAININGS, iterations);
    sessionRows.push({ oneMs, twoThreadsMs, twoSessionsMs: await separateSessions(2, TRAININGS, iterations) });
  }

  type ColdRow = { lanes: number; run: Run; poolMs: number; boot: ReturnType<typeof bootPhases>; oneLaneMs: number };
  const coldRows: ColdRow[] = [];
  for (let r = 0; r < coldRounds; r++) {
    const one = warm.get(1);
    if (!one) break;
    const oneRun = await measured(one, value);
    for (const lanes of laneCounts.slice(1)) {
      const t0 = performance.now();
      const t = tracedPool(lanes - 1);
      const run = await measured(t, value);
      const poolMs = performance.now() - t0;
      identical &&= same(run);
      // A worker that was still loading when the map ended reports its start phases later: wait for them before the pool goes.
      await allWarmed(t, lanes - 1, 120_000);
      const boot = bootPhases(t.events);
      t.pool.close();
      coldRows.push({ lanes, run: { ...run, wallMs: poolMs }, poolMs, boot, oneLaneMs: oneRun.wallMs });
      log(`  cold round ${r + 1}, ${lanes} lanes: ${r0(poolMs)} ms from pool creation (1 lane just before: ${r0(oneRun.wallMs)} ms); worker start ${boot.map((b) => `${r0(b.totalMs)} ms`).join(', ')}`);
    }
  }
  for (const t of warm.values()) t.pool.close();
  spin.close();
  const loadEnd = loadavg();

  const records: BenchRecord[] = [];
  const shape = `${N} x ${STEPS} x ${FEATURES}, 16 units, batch 64, 8 epochs, 5 folds + final`;
  const load = `${loadStart.map((l) => l.toFixed(2)).join(' ')} → ${loadEnd.map((l) => l.toFixed(2)).join(' ')}`;
  const byRound = (lanes: number): Row[] => warmRows.filter((w) => w.lanes === lanes);
  const ones = byRound(1);
  for (const lanes of laneCounts) {
    const rows = byRound(lanes);
    if (rows.length === 0) continue;
    const ratios = rows.map((w, i) => (ones[i]?.run.wallMs ?? Number.NaN) / w.run.wallMs);
    const ceilings = rows.map((w, i) => (ones[i]?.ceilingMs ?? Number.NaN) / w.ceilingMs);
    const path = rows.map((w) => Math.max(w.run.mainCpuMs, w.run.busiestOtherCpuMs));
    const onePath = ones.map((w) => Math.max(w.run.mainCpuMs, w.run.busiestOtherCpuMs));
    const parts = rows.map((w) => w.run.parts).filter((p): p is RunBreakdown => p !== null);
    const lane = (id: number, f: (l: RunBreakdown['lanes'][number]) => number): number => median(parts.map((p) => f(p.lanes.find((l) => l.lane === id) ?? { lane: id, tasks: '', trainMs: 0, cpuMs: 0, waitMs: 0, postMs: 0, transitMs: 0, returnMs: 0, idleMs: 0 })));
    const laneIds = [...new Set(parts.flatMap((p) => p.lanes.map((l) => l.lane)))].sort((a, b) => a - b);
    const serial = rows.map((w) => w.run.wallMs - (w.run.parts?.mapMs ?? 0));
    const unloaded = rows.map((w) => withoutWait(w.run));
    const oneUnloaded = ones.map((w) => withoutWait(w.run));
    const record: BenchRecord = {
      suite: 'lstm',
      case: `pool ${lanes} lane${lanes > 1 ? 's' : ''} warm (this thread + ${lanes - 1} worker${lanes === 2 ? '' : 's'}, started before the run)`,
      lanes,
      workers: lanes - 1,
      cores,
      shape,
      runs: rows.length,
      load_average: load,
      wall_ms_median: r0(median(rows.map((w) => w.run.wallMs))),
      wall_ms_range: `${r0(Math.min(...rows.map((w) => w.run.wallMs)))}–${r0(Math.max(...rows.map((w) => w.run.wallMs)))}`,
      cpu_ms_median: r0(median(rows.map((w) => w.run.cpuMs))),
      cpu_ms_range: `${r0(Math.min(...rows.map((w) => w.run.cpuMs)))}–${r0(Math.max(...rows.map((w) => w.run.cpuMs)))}`,
      main_thread_cpu_ms_median: r0(median(rows.map((w) => w.run.mainCpuMs))),
      other_threads_cpu_ms_median: r0(median(rows.map((w) => w.run.otherCpuMs))),
      // Time this process's threads were ready but waited for a core: the other load.
      run_queue_wait_ms_median: r0(median(rows.map((w) => w.run.mainWaitMs + w.run.otherWaitMs))),
      speedup_vs_1_lane_median: r2(median(ratios)),
      speedup_vs_1_lane_range: `${r2(Math.min(...ratios))}–${r2(Math.max(...ratios))}`,
      // The same rounds' trivially parallel loop (6 chunks of ~100 ms CPU): what the machine gave a second thread then.
      ceiling_loop_speedup_median: r2(median(ceilings)),
      ceiling_loop_speedup_range: `${r2(Math.min(...ceilings))}–${r2(Math.max(...ceilings))}`,
      cpu_critical_path_ms_median: r0(median(path)),
      cpu_critical_path_speedup: r2(median(onePath) / median(path)),
      serial_outside_training_ms_median: r0(median(serial)),
      // An estimate, not a measurement: each run's wall with every thread's run-queue wait taken out (see withoutWait).
      estimated_wall_without_other_load_ms_median: r0(median(unloaded)),
      estimated_speedup_without_other_load: r2(median(oneUnloaded) / median(unloaded)),
      training_map_ms_median: r0(median(parts.map((p) => p.mapMs))),
      costliest_task_lane: parts.map((p) => `${p.costliestLane}#${p.costliestPosition + 1}`).join(' '),
      costliest_task_ends_before_map_end_ms_median: r0(median(parts.map((p) => p.costliestEndsBeforeMapEndMs))),
      bit_identical_to_1_lane: identical,
    };
    for (const id of laneIds) {
      const tag = id === 0 ? 'this_thread' : `worker${id}`;
      record[`${tag}_tasks_last_run`] = parts[parts.length - 1]?.lanes.find((l) => l.lane === id)?.tasks ?? '';
      record[`${tag}_train_ms`] = r0(lane(id, (l) => l.trainMs));
      record[`${tag}_train_cpu_ms`] = r0(lane(id, (l) => l.cpuMs));
      record[`${tag}_train_wait_ms`] = r0(lane(id, (l) => l.waitMs));
      if (id > 0) {
        record[`${tag}_post_ms`] = r2(lane(id, (l) => l.postMs));
        record[`${tag}_transit_ms`] = r2(lane(id, (l) => l.transitMs));
        record[`${tag}_return_ms`] = r2(lane(id, (l) => l.returnMs));
      }
      record[`${tag}_idle_in_map_ms`] = r0(lane(id, (l) => l.idleMs));
    }
    records.push(record);
    log(`lstm pool warm ${lanes} lane(s): wall ${spread(rows.map((w) => w.run.wallMs))} ms, CPU ${spread(rows.map((w) => w.run.cpuMs))} ms, ${spread(ratios, r2)}x 1 lane (ceiling loop ${spread(ceilings, r2)}x), CPU critical path ${r0(median(path))} ms, estimated without other load ${r0(median(unloaded))} ms (${r2(median(oneUnloaded) / median(unloaded))}x)`);
  }
  if (inputOrderRows.length > 0) {
    const ratios = inputOrderRows.map((x) => x.run.wallMs / x.costRun.wallMs);
    const parts = inputOrderRows.map((x) => x.run.parts).filter((p): p is RunBreakdown => p !== null);
    records.push({
      suite: 'lstm',
      case: 'pool 2 lanes warm, tasks in input order (final model last) instead of costliest first',
      runs: inputOrderRows.length,
      wall_ms_median: r0(median(inputOrderRows.map((x) => x.run.wallMs))),
      costliest_first_wall_ms_median: r0(median(inputOrderRows.map((x) => x.costRun.wallMs))),
      input_order_over_costliest_first_median: r2(median(ratios)),
      input_order_over_costliest_first_range: `${r2(Math.min(...ratios))}–${r2(Math.max(...ratios))}`,
      costliest_task_lane: parts.map((p) => `${p.costliestLane}#${p.costliestPosition + 1}`).join(' '),
      idle_in_map_ms_median: parts.map((p) => p.lanes.map((l) => `${l.lane}:${r0(l.idleMs)}`).join('/')).join(' '),
    });
  }
  const sessions = sessionRows.flatMap((x) => (x.twoSessionsMs === null ? [] : [{ ...x, twoSessionsMs: x.twoSessionsMs }]));
  if (sessions.length > 0) {
    const threads = sessions.map((x) => x.oneMs / x.twoThreadsMs);
    const own = sessions.map((x) => x.oneMs / x.twoSessionsMs);
    records.push({
      suite: 'lstm',
      case: 'ceiling diagnostic: the trivially parallel loop on 2 threads of this process vs 2 processes in sessions of their own (Linux autogroup)',
      runs: sessions.length,
      load_average: load,
      one_thread_ms_median: r0(median(sessions.map((x) => x.oneMs))),
      two_threads_one_process_speedup_median: r2(median(threads)),
      two_threads_one_process_speedup_range: `${r2(Math.min(...threads))}–${r2(Math.max(...threads))}`,
      two_processes_own_sessions_speedup_median: r2(median(own)),
      two_processes_own_sessions_speedup_range: `${r2(Math.min(...own))}–${r2(Math.max(...own))}`,
      note: 'under load the scheduler shares the cores between sessions, not threads: a second thread of one process gets little; not a mode the studio can use',
    });
    log(`lstm pool ceiling: 2 threads of this process ${spread(threads, r2)}x one, 2 processes in own sessions ${spread(own, r2)}x`);
  }
  for (const lanes of laneCounts.slice(1)) {
    const rows = coldRows.filter((c) => c.lanes === lanes);
    if (rows.length === 0) continue;
    const ratios = rows.map((c) => c.oneLaneMs / c.poolMs);
    const boots = rows.flatMap((c) => c.boot);
    const phase = (f: (b: (typeof boots)[number]) => number): number => r0(median(boots.map(f)));
    records.push({
      suite: 'lstm',
      case: `pool ${lanes} lanes COLD (pool created at the run's start: workers spawned, loaded, warmed inside the time)`,
      lanes,
      runs: rows.length,
      load_average: load,
      wall_ms_median: r0(median(rows.map((c) => c.poolMs))),
      wall_ms_range: `${r0(Math.min(...rows.map((c) => c.poolMs)))}–${r0(Math.max(...rows.map((c) => c.poolMs)))}`,
      cpu_ms_median: r0(median(rows.map((c) => c.run.cpuMs))),
      cpu_ms_range: `${r0(Math.min(...rows.map((c) => c.run.cpuMs)))}–${r0(Math.max(...rows.map((c) => c.run.cpuMs)))}`,
      one_lane_same_round_wall_ms_median: r0(median(rows.map((c) => c.oneLaneMs))),
      speedup_vs_1_lane_median: r2(median(ratios)),
      speedup_vs_1_lane_range: `${r2(Math.min(...ratios))}–${r2(Math.max(...ratios))}`,
      worker_start_ms_median: phase((b) => b.totalMs),
      worker_thread_spawn_ms: phase((b) => b.threadMs),
      worker_tsx_register_ms: phase((b) => b.tsxMs),
      worker_module_load_ms: phase((b) => b.modulesMs),
      worker_wasm_backend_ms: phase((b) => b.backendMs),
      worker_warm_up_ms: phase((b) => b.warmUpMs),
      worker_cpu_to_ready_ms: phase((b) => b.cpuAtReadyMs),
      worker_cpu_to_warmed_ms: phase((b) => b.cpuAtWarmedMs),
      tasks_on_workers_median: r0(median(rows.map((c) => (c.run.parts?.lanes ?? []).filter((l) => l.lane > 0).reduce((s, l) => s + (l.tasks ? l.tasks.split(' ').length : 0), 0)))),
      bit_identical_to_1_lane: identical,
    });
    log(`lstm pool COLD ${lanes} lanes: wall ${spread(rows.map((c) => c.poolMs))} ms, ${spread(ratios, r2)}x 1 lane; worker start ${phase((b) => b.totalMs)} ms (thread ${phase((b) => b.threadMs)}, tsx ${phase((b) => b.tsxMs)}, modules ${phase((b) => b.modulesMs)}, wasm backend ${phase((b) => b.backendMs)}, warm-up ${phase((b) => b.warmUpMs)})`);
  }
  return records;
}
