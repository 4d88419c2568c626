/**
 * Reads the pool's trace of one LSTM node run (src/engine/parallel.ts PoolEvent) into the parts
 * of its wall time: the serial work around the trainings, and per lane the trainings' own time,
 * the input's trip out (serialising, queue, deserialising), the output's trip back, the time a
 * lane's thread waited for a core (other load), and the time a lane sat idle inside the map
 * (lane imbalance, or its worker still loading).
 */
import type { PoolEvent } from '../../engine/parallel.ts';

type TaskEvent = Extract<PoolEvent, { type: 'task' }>;

/** One lane's share of one run. */
export interface LaneFigures {
  /** 0: this thread; 1…: workers. */
  lane: number;
  /** Trainings it ran, in the order it ran them, as "index(cost k)". */
  tasks: string;
  /** Sum of the trainings' own time on the lane (received → finished). */
  trainMs: number;
  /** CPU of the lane's thread over its trainings. */
  cpuMs: number;
  /** Time its thread was ready but waited for a core over its trainings. */
  waitMs: number;
  /** Post calls (serialising inputs) on the calling thread. */
  postMs: number;
  /** Sent → received, less the post: queue and deserialising in the worker. */
  transitMs: number;
  /** Finished → back on the calling thread: serialising, queue, deserialising. */
  returnMs: number;
  /** Inside the map, time with no training of its own in flight. */
  idleMs: number;
}

/** One run's breakdown. */
export interface RunBreakdown {
  /** The training map's wall time (first hand-out → last output in). */
  mapMs: number;
  /** Per lane. */
  lanes: LaneFigures[];
  /** Lane that trained the costliest task (the final model on every labelled row). */
  costliestLane: number;
  /** Hand-out position of the costliest task on its lane (0: first). */
  costliestPosition: number;
  /** How long before the map's end the costliest task finished. */
  costliestEndsBeforeMapEndMs: number;
}

/** The breakdown of the lstm.fit map in one run's events; null when it is not there. */
export function breakdown(events: readonly PoolEvent[]): RunBreakdown | null {
  const map = events.find((e): e is Extract<PoolEvent, { type: 'map' }> => e.type === 'map' && e.task === 'lstm.fit');
  if (!map) return null;
  const tasks = events.filter((e): e is TaskEvent => e.type === 'task' && e.task === 'lstm.fit' && e.sentAt >= map.startedAt && e.returnedAt <= map.endedAt + 1);
  const mapMs = map.endedAt - map.startedAt;
  const laneIds = [...new Set(tasks.map((t) => t.lane))].sort((a, b) => a - b);
  const lanes = laneIds.map((lane): LaneFigures => {
    const own = tasks.filter((t) => t.lane === lane).sort((a, b) => a.sentAt - b.sentAt);
    const sum = (f: (t: TaskEvent) => number): number => own.reduce((s, t) => s + f(t), 0);
    const inFlight = sum((t) => t.returnedAt - t.sentAt);
    return {
      lane,
      tasks: own.map((t) => `${t.index}(${Math.round(t.cost / 1000)}k)`).join(' '),
      trainMs: sum((t) => t.finishedAt - t.receivedAt),
      cpuMs: sum((t) => t.cpuMs ?? 0),
      waitMs: sum((t) => t.waitMs ?? 0),
      postMs: sum((t) => t.postMs),
      transitMs: sum((t) => t.receivedAt - t.sentAt - t.postMs),
      returnMs: sum((t) => t.returnedAt - t.finishedAt),
      idleMs: Math.max(0, mapMs - inFlight),
    };
  });
  const costliest = tasks.reduce<TaskEvent | null>((a, b) => (a === null || b.cost > a.cost ? b : a), null);
  const onLane = costliest ? tasks.filter((t) => t.lane === costliest.lane).sort((a, b) => a.sentAt - b.sentAt) : [];
  return {
    mapMs,
    lanes,
    costliestLane: costliest?.lane ?? -1,
    costliestPosition: costliest ? onLane.indexOf(costliest) : -1,
    costliestEndsBeforeMapEndMs: costliest ? map.endedAt - costliest.returnedAt : 0,
  };
}

/** Worker start phases (ms) from a boot and a warmed event of one lane. */
export function bootPhases(events: readonly PoolEvent[]): { lane: number; threadMs: number; tsxMs: number; modulesMs: number; backendMs: number; warmUpMs: number; totalMs: number; cpuAtReadyMs: number; cpuAtWarmedMs: number }[] {
  const boots = events.filter((e): e is Extract<PoolEvent, { type: 'boot' }> => e.type === 'boot');
  return boots.map((b) => {
    const warmed = events.find((e): e is Extract<PoolEvent, { type: 'warmed' }> => e.type === 'warmed' && e.lane === b.lane);
    const m = b.marks;
    const thread = m['thread'] ?? b.spawnedAt;
    const registered = m['registered'] ?? thread;
    const loaded = m['loaded'] ?? registered;
    const backend = m['backend'] ?? loaded;
    const end = warmed?.at ?? backend;
    return {
      lane: b.lane,
      threadMs: thread - b.spawnedAt,
      tsxMs: registered - thread,
      modulesMs: loaded - registered,
      backendMs: backend - loaded,
      warmUpMs: end - backend,
      totalMs: end - b.spawnedAt,
      cpuAtReadyMs: m['cpuAtReady'] ?? Number.NaN,
      cpuAtWarmedMs: warmed?.cpuMs ?? Number.NaN,
    };
  });
}
