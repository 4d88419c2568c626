/**
 * Parallel work for nodes: a task is a named pure function from a structured-clonable input
 * to a structured-clonable output; a pool runs a list of them over lanes (worker threads in
 * Node, Web Workers in the page, and the calling thread itself) and returns the outputs in
 * input order. A task computes the same bytes on any lane, so a result never depends on how
 * many lanes ran it. Cancel terminates the workers mid-task; no SharedArrayBuffer is used.
 */
import type { JsonValue } from './ports.ts';

/** A task kind: its registered name, the work, and guards for what crosses a worker boundary. */
export interface TaskSpec<I, O, R = never> {
  /** Registered name (the worker looks the task up by it). */
  name: string;
  /** The work; `report` streams progress to the caller, `signal` stops it between steps. */
  run(input: I, report: (message: R) => void, signal: AbortSignal): Promise<O>;
  /** Whether a value that came back from a worker is this task's output. */
  isOutput(value: unknown): value is O;
  /** Whether a value that came back from a worker is one of this task's reports. */
  isReport(value: unknown): value is R;
  /** Relative cost of one input (e.g. rows × epochs): a pool hands out the costliest first, ties in input order. */
  cost?(input: I): number;
}

/** A task spec with its types erased, as the worker's registry holds it. */
export interface AnyTaskSpec {
  /** Registered name. */
  name: string;
  /** The work, on an input the pool built for this task (method syntax: a TaskSpec of any types fits). */
  run(input: unknown, report: (message: unknown) => void, signal: AbortSignal): Promise<unknown>;
}

/** Options of one parallel map. */
export interface ParallelOptions<R> {
  /** Cancels every task: workers are terminated, the map rejects with an AbortError. */
  signal: AbortSignal;
  /** Hears each task's reports with the task's index. */
  onReport?: (index: number, report: R) => void;
}

/** What the host offers nodes for parallel work. */
export interface TaskPool {
  /** How many tasks run at once. */
  readonly lanes: number;
  /** Runs `spec` on every input, `lanes` at a time; outputs in input order. */
  map<I, O, R>(spec: TaskSpec<I, O, R>, inputs: readonly I[], options: ParallelOptions<R>): Promise<O[]>;
  /** Starts the workers now (they take seconds to load), so that a map later finds them ready. */
  warm?(): void;
}

/** The order a pool hands tasks out in: by decreasing spec.cost, ties (and no cost) in input order. */
export function handOutOrder<I>(spec: { cost?(input: I): number }, inputs: readonly I[]): number[] {
  const order = inputs.map((_, i) => i);
  const cost = spec.cost;
  if (!cost) return order;
  const costs = inputs.map((input) => cost(input));
  return order.sort((a, b) => (costs[b] ?? 0) - (costs[a] ?? 0) || a - b);
}

/** The AbortError DOMException a cancelled map rejects with. */
export function taskAbortError(): DOMException {
  return new DOMException('The parallel work was cancelled.', 'AbortError');
}

/** A pool with one lane: the calling thread, one task after another. */
export const inProcessPool: TaskPool = {
  lanes: 1,
  async map(spec, inputs, options) {
    const out = [];
    for (let i = 0; i < inputs.length; i++) {
      if (options.signal.aborted) throw taskAbortError();
      const input = inputs[i];
      if (input === undefined) continue;
      out.push(await spec.run(input, (r) => options.onReport?.(i, r), options.signal));
    }
    return out;
  },
};

/** A message from the pool to a worker. */
export interface TaskRequest {
  /** Request id, echoed in every reply. */
  id: number;
  /** Registered task name. */
  task: string;
  /** The task's input. */
  input: unknown;
}

/** Whether a message to a worker is a task request. */
export function isTaskRequest(message: unknown): message is TaskRequest {
  return typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'number' && 'task' in message && typeof message.task === 'string' && 'input' in message;
}

/** The first message a page's pool worker gets from its pool: the LSTM kernels compiled once by the pool's thread (null where it has none). */
export interface PoolInit {
  /** Always 'init'. */
  type: 'init';
  /** The compiled native kernel module, shared instead of assembled and compiled in each worker. */
  kernels: WebAssembly.Module | null;
}

/** Whether a message to a worker is its init message. */
export function isPoolInit(message: unknown): message is PoolInit {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === 'init' && 'kernels' in message;
}

/** The message a worker posts once, when it has loaded and can serve tasks. */
export interface WorkerReady {
  /** Always 'ready'. */
  type: 'ready';
  /** When the worker reached each step of its start (ms since the epoch, see wallClock), for tracing; absent in old workers. */
  marks?: Record<string, number>;
}

/** The message a worker posts once its warm-up (compiling the hot paths) is done; for tracing only. */
export interface WorkerWarmed {
  /** Always 'warmed'. */
  type: 'warmed';
  /** When the warm-up ended (ms since the epoch). */
  at: number;
  /** CPU the worker's thread had used by then (ms), where the host can tell. */
  cpuMs: number | null;
}

/** Whether a message from a worker is its warmed message. */
export function isWorkerWarmed(message: unknown): message is WorkerWarmed {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === 'warmed' && 'at' in message && typeof message.at === 'number';
}

/** Milliseconds since the epoch at sub-millisecond resolution, comparable across threads (performance.timeOrigin + now). */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

/** A thread's CPU time and its time ready to run but waiting for a core (the machine's other load), in ms. */
export interface ThreadTimes {
  /** Time on a core. */
  cpuMs: number;
  /** Time ready to run but waiting for a core. */
  waitMs: number;
}

/** When a lane received a task and finished it (ms since the epoch), and its thread's times meanwhile. */
export interface TaskTiming {
  /** The lane began the task (its input already deserialised). */
  receivedAt: number;
  /** The lane had the output (before posting it back). */
  finishedAt: number;
  /** CPU time of the lane's thread over the task (ms), where the host can tell. */
  cpuMs: number | null;
  /** Time the lane's thread waited for a core over the task (ms), where the host can tell. */
  waitMs: number | null;
}

/** The timing of work between two readings of a thread's clock and times. */
function timingSince(receivedAt: number, before: ThreadTimes | null, after: ThreadTimes | null): TaskTiming {
  const both = before !== null && after !== null;
  return { receivedAt, finishedAt: wallClock(), cpuMs: both ? after.cpuMs - before.cpuMs : null, waitMs: both ? after.waitMs - before.waitMs : null };
}

/** What a traced pool tells its tracer (benches): one event per task, per map, and per worker start. */
export type PoolEvent =
  | {
      type: 'task';
      /** The task's name and index in the map's inputs. */
      task: string;
      index: number;
      /** 0: the calling thread; 1…: workers in the order they were started. */
      lane: number;
      /** spec.cost of the input (0 without one). */
      cost: number;
      /** Handed out (ms since the epoch); for a worker, just before the post. */
      sentAt: number;
      /** The post call itself (serialising the input; 0 on the calling thread). */
      postMs: number;
    } & TaskTiming & {
      /** The output was back on the calling thread (deserialised). */
      returnedAt: number;
    }
  | { type: 'map'; task: string; tasks: number; startedAt: number; endedAt: number }
  | { type: 'boot'; lane: number; spawnedAt: number; marks: Record<string, number> }
  | { type: 'warmed'; lane: number; at: number; cpuMs: number | null };

/** Whether a message from a worker is its ready message. */
export function isWorkerReady(message: unknown): message is WorkerReady {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === 'ready';
}

/** A message from a worker to the pool. */
export type TaskReply =
  | { id: number; type: 'report'; report: unknown }
  | { id: number; type: 'done'; output: unknown; timing?: TaskTiming }
  | { id: number; type: 'error'; name: string; message: string; timing?: TaskTiming };

/** Whether a message from a worker is a task reply (an id and a known type). */
export function isTaskReply(message: unknown): message is TaskReply {
  if (typeof message !== 'object' || message === null || !('id' in message) || !('type' in message)) return false;
  return typeof message.id === 'number' && (message.type === 'report' || message.type === 'done' || message.type === 'error');
}

/** The error a task's failure in a worker rejects with (the task's own error class does not cross). */
export class TaskFailure extends Error {
  /** The name of the error thrown in the worker. */
  readonly errorName: string;
  constructor(task: string, errorName: string, message: string) {
    super(`Task ${task} failed in a worker: ${errorName}: ${message}`);
    this.name = 'TaskFailure';
    this.errorName = errorName;
  }
}

/**
 * Serves task requests in a worker: looks the task up by name, runs it and posts reports and
 * the result, with when it ran (TaskTiming; `threadTimes` reads the thread's CPU and wait where
 * the host can tell). `post` is the worker's postMessage.
 */
export async function serveTask(registry: ReadonlyMap<string, AnyTaskSpec>, request: TaskRequest, post: (reply: TaskReply) => void, threadTimes: () => ThreadTimes | null = () => null): Promise<void> {
  const receivedAt = wallClock();
  const before = threadTimes();
  const timing = (): TaskTiming => timingSince(receivedAt, before, threadTimes());
  const spec = registry.get(request.task);
  const { id } = request;
  if (!spec) {
    post({ id, type: 'error', name: 'UnknownTask', message: `no task named ${JSON.stringify(request.task)} (known: ${[...registry.keys()].join(', ')})`, timing: timing() });
    return;
  }
  try {
    // The registry erased the input type; the pool only sends a task inputs built for it.
    const output = await spec.run(request.input, (report) => post({ id, type: 'report', report }), new AbortController().signal);
    post({ id, type: 'done', output, timing: timing() });
  } catch (err) {
    post({ id, type: 'error', name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err), timing: timing() });
  }
}

/** One worker as the pool drives it (Web Worker or worker_threads Worker behind a small adapter). */
export interface TaskWorker {
  /** Sends a request. */
  post(request: TaskRequest): void;
  /** Sets the reply handler (one per worker). */
  onReply(handler: (reply: TaskReply) => void): void;
  /** Sets the handler for a crash outside any task (script error, out of memory). */
  onCrash(handler: (message: string) => void): void;
  /** Stops the worker at once. */
  terminate(): void;
  /** Settles when the worker has loaded (its WorkerReady came); rejects when it failed to start. Absent: ready at once. */
  ready?: Promise<void>;
  /** Sets the handler for the worker's start marks (WorkerReady.marks) and its warmed message, for tracing. */
  onBoot?(handler: (event: { spawnedAt: number; marks: Record<string, number> } | WorkerWarmed) => void): void;
}

/** Options of a worker pool. */
export interface WorkerPoolOptions {
  /** Starts one worker. */
  spawn: () => TaskWorker;
  /** Worker lanes (at least 0). */
  workers: number;
  /** Whether the calling thread runs tasks too (one more lane). */
  local: boolean;
  /** Hears every task, map and worker start with their times (benches); absent: nothing is measured. */
  trace?: (event: PoolEvent) => void;
  /** The calling thread's CPU and wait, for the trace of its own tasks; absent: null. */
  threadTimes?: () => ThreadTimes | null;
}

/**
 * A pool of `workers` workers, plus the calling thread when `local` is set. Tasks are handed
 * out to whichever lane is free, costliest first (TaskSpec.cost) to workers and cheapest first
 * to the calling thread, which also does the work around the map; a worker lane takes its first
 * task only once its worker has loaded, so a cold worker never holds work the calling thread
 * could do. Workers start on warm() or first use and are kept between maps; a cancel or a
 * crash terminates the busy ones and the next map starts fresh ones.
 */
export class WorkerPool implements TaskPool {
  readonly lanes: number;
  private readonly options: WorkerPoolOptions;
  private idle: TaskWorker[] = [];
  private readonly pending = new Map<TaskWorker, (err: unknown) => void>();
  private started = 0;
  private nextId = 1;
  // Trace lane numbers: workers in the order they were spawned, from 1.
  private readonly laneOf = new WeakMap<TaskWorker, number>();
  private spawned = 0;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 0) throw new RangeError(`workers must be a whole number ≥ 0, got ${String(options.workers)}.`);
    if (options.workers === 0 && !options.local) throw new RangeError('A pool needs at least one lane: workers ≥ 1 or local.');
    this.options = options;
    this.lanes = options.workers + (options.local ? 1 : 0);
  }

  /** Workers started and not terminated (idle or busy). */
  get workersStarted(): number {
    return this.started;
  }

  /** Starts workers up to the pool's count, idle until a map hands them tasks. */
  warm(): void {
    while (this.started < this.options.workers) {
      this.started++;
      this.idle.push(this.spawn());
    }
  }

  private spawn(): TaskWorker {
    const worker = this.options.spawn();
    const lane = ++this.spawned;
    this.laneOf.set(worker, lane);
    const trace = this.options.trace;
    if (trace && worker.onBoot) {
      worker.onBoot((event) => {
        if ('type' in event) trace({ type: 'warmed', lane, at: event.at, cpuMs: event.cpuMs });
        else trace({ type: 'boot', lane, spawnedAt: event.spawnedAt, marks: event.marks });
      });
    }
    return worker;
  }

  /** Stops every idle worker (busy ones stop when their map is cancelled). */
  close(): void {
    for (const w of this.idle) w.terminate();
    this.started -= this.idle.length;
    this.idle = [];
  }

  async map<I, O, R>(spec: TaskSpec<I, O, R>, inputs: readonly I[], options: ParallelOptions<R>): Promise<O[]> {
    const { signal } = options;
    if (signal.aborted) throw taskAbortError();
    const mapStart = wallClock();
    const trace = this.options.trace;
    const results = new Array<O | undefined>(inputs.length);
    const order = handOutOrder(spec, inputs);
    // Workers take from the costly end of the order, the calling thread (which also does the
    // serial work before and after the map) from the cheap end.
    let next = 0;
    let end = order.length;
    const busy = new Set<TaskWorker>();
    let failed: unknown = null;
    const open = (): boolean => failed === null && !signal.aborted && next < end;
    const take = (): number | null => (open() ? (order[next++] ?? null) : null);
    const takeCheap = (): number | null => (open() ? (order[--end] ?? null) : null);
    // The map ends when every output is in, even while a worker that got no task is still loading.
    let remaining = inputs.length;
    let allIn = (): void => undefined;
    const done = new Promise<void>((resolve) => (allIn = resolve));
    if (remaining === 0) allIn();
    const record = (index: number, output: O): void => {
      results[index] = output;
      if (--remaining === 0) allIn();
    };

    const localLane = async (): Promise<void> => {
      for (let i = takeCheap(); i !== null; i = takeCheap()) {
        const input = inputs[i];
        if (input === undefined) continue;
        const index = i;
        if (!trace) {
          record(index, await spec.run(input, (r) => options.onReport?.(index, r), signal));
          continue;
        }
        const times = this.options.threadTimes ?? ((): null => null);
        const before = times();
        const sentAt = wallClock();
        const output = await spec.run(input, (r) => options.onReport?.(index, r), signal);
        const timing = timingSince(sentAt, before, times());
        trace({ type: 'task', task: spec.name, index, lane: 0, cost: spec.cost?.(input) ?? 0, sentAt, postMs: 0, ...timing, returnedAt: timing.finishedAt });
        record(index, output);
      }
    };
    // Set when every output is in: a lane whose worker is still loading hands it back idle.
    const release = new AbortController();
    const workerLane = async (): Promise<void> => {
      const worker = this.checkout();
      busy.add(worker);
      if (worker.ready && !(await this.whenReady(worker, spec.name, signal, release.signal))) {
        busy.delete(worker);
        this.idle.push(worker);
        return;
      }
      for (let i = take(); i !== null; i = take()) {
        const index = i;
        record(index, await this.runOn(worker, spec, inputs[index], index, (r) => options.onReport?.(index, r), signal));
      }
      busy.delete(worker);
      this.idle.push(worker);
    };
    const lanes: Promise<void>[] = [];
    const workerLanes = Math.min(this.options.workers, inputs.length);
    for (let w = 0; w < workerLanes; w++) lanes.push(workerLane());
    if (this.options.local) lanes.push(localLane());
    const settled = lanes.map((p) =>
      p.catch((err: unknown) => {
        failed ??= err;
        // A failure or a cancel stops the other lanes now rather than after their current task.
        for (const w of busy) {
          w.terminate();
          this.pending.get(w)?.(taskAbortError());
          this.pending.delete(w);
        }
        this.started -= busy.size;
        busy.clear();
      }),
    );
    await Promise.race([Promise.all(settled), done]);
    release.abort();
    await Promise.all(settled);
    trace?.({ type: 'map', task: spec.name, tasks: inputs.length, startedAt: mapStart, endedAt: wallClock() });
    if (signal.aborted) throw taskAbortError();
    if (failed !== null) throw failed;
    const out: O[] = [];
    for (const r of results) {
      if (r === undefined) throw new Error(`Task ${spec.name} left an output undefined.`);
      out.push(r);
    }
    return out;
  }

  /**
   * Waits for a worker to load: true once ready, false when `release` fires first (the map needs
   * it no longer); a cancel or a failed start rejects.
   */
  private whenReady(worker: TaskWorker, task: string, signal: AbortSignal, release: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const onAbort = (): void => {
        finish();
        reject(taskAbortError());
      };
      const onRelease = (): void => {
        finish();
        resolve(false);
      };
      let open = true;
      // Once only: a load that ends after a release must not touch the next map's entry for this worker.
      const finish = (): void => {
        if (!open) return;
        open = false;
        signal.removeEventListener('abort', onAbort);
        release.removeEventListener('abort', onRelease);
        this.pending.delete(worker);
      };
      if (signal.aborted) return onAbort();
      if (release.aborted) return onRelease();
      signal.addEventListener('abort', onAbort, { once: true });
      release.addEventListener('abort', onRelease, { once: true });
      this.pending.set(worker, reject);
      (worker.ready ?? Promise.resolve()).then(
        () => {
          if (!open) return;
          finish();
          resolve(true);
        },
        (err: unknown) => {
          if (!open) return;
          finish();
          reject(new TaskFailure(task, 'WorkerCrash', `the worker failed to start: ${err instanceof Error ? err.message : String(err)}`));
        },
      );
    });
  }

  private checkout(): TaskWorker {
    const reused = this.idle.pop();
    if (reused) return reused;
    this.started++;
    return this.spawn();
  }

  private runOn<I, O, R>(worker: TaskWorker, spec: TaskSpec<I, O, R>, input: I, index: number, report: (r: R) => void, signal: AbortSignal): Promise<O> {
    const id = this.nextId++;
    return new Promise<O>((resolve, reject) => {
      const onAbort = (): void => reject(taskAbortError());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(worker, reject);
      const finish = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(worker);
      };
      worker.onCrash((message) => {
        finish();
        reject(new TaskFailure(spec.name, 'WorkerCrash', message));
      });
      let sentAt = 0;
      let postMs = 0;
      const traced = (timing: TaskTiming | undefined): void => {
        const trace = this.options.trace;
        if (!trace || !timing) return;
        trace({ type: 'task', task: spec.name, index, lane: this.laneOf.get(worker) ?? -1, cost: spec.cost?.(input) ?? 0, sentAt, postMs, ...timing, returnedAt: wallClock() });
      };
      worker.onReply((reply) => {
        if (reply.id !== id) return;
        switch (reply.type) {
          case 'report':
            if (spec.isReport(reply.report)) report(reply.report);
            return;
          case 'done':
            traced(reply.timing);
            finish();
            if (spec.isOutput(reply.output)) resolve(reply.output);
            else reject(new TaskFailure(spec.name, 'BadOutput', 'the worker answered with a value that is not this task’s output'));
            return;
          case 'error':
            finish();
            reject(new TaskFailure(spec.name, reply.name, reply.message));
            return;
        }
      });
      sentAt = wallClock();
      worker.post({ id, task: spec.name, input });
      postMs = wallClock() - sentAt;
    });
  }
}

/** The default number of worker lanes beside the calling thread: cores − 1, at least 1. */
export function defaultWorkerCount(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}

/** Whether a value is a JSON value (for report guards). */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value).every(isJsonValue);
  return false;
}
