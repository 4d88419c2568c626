import { describe, expect, it } from 'vitest';
import { defaultWorkerCount, handOutOrder, inProcessPool, isTaskReply, isWorkerReady, isWorkerWarmed, serveTask, TaskFailure, WorkerPool, type AnyTaskSpec, type PoolEvent, type TaskReply, type TaskSpec, type TaskWorker, type ThreadTimes } from '../../src/engine/parallel.ts';

const square: TaskSpec<number, number, string> = {
  name: 'test.square',
  async run(x, report) {
    await new Promise((r) => setTimeout(r, (x * 7) % 5));
    report(`at ${x}`);
    if (x < 0) throw new RangeError(`negative ${x}`);
    return x * x;
  },
  isOutput: (v): v is number => typeof v === 'number',
  isReport: (v): v is string => typeof v === 'string',
};
const liar: TaskSpec<number, string, never> = { name: 'test.liar', run: async (x) => String(x), isOutput: (v): v is string => false, isReport: (v): v is never => false };
const registry = new Map<string, AnyTaskSpec>([[square.name, square], [liar.name, liar]]);

/** A worker that serves tasks on this thread, asynchronously, like a real one would; `ready` as given (absent: at once). */
function fakeWorker(log: string[], ready?: Promise<void>): TaskWorker {
  let handler: (reply: TaskReply) => void = () => undefined;
  let alive = true;
  return {
    post: (request) => void setTimeout(() => void serveTask(registry, request, (reply) => alive && handler(reply)), 1),
    onReply: (h) => (handler = h),
    onCrash: () => undefined,
    terminate: () => {
      alive = false;
      log.push('terminated');
    },
    ...(ready ? { ready } : {}),
  };
}

/** square, with a cost per input and a log of the order the inputs started in. */
function costed(started: number[]): TaskSpec<number, number, string> {
  return { ...square, name: square.name, run: (x, report, signal) => (started.push(x), square.run(x, report, signal)), cost: (x) => x % 4 };
}

describe('WorkerPool', () => {
  it('returns outputs in input order whatever lane ran them, and reports with the task index', async () => {
    const log: string[] = [];
    const pool = new WorkerPool({ spawn: () => fakeWorker(log), workers: 3, local: true });
    expect(pool.lanes).toBe(4);
    const reports: string[] = [];
    const inputs = Array.from({ length: 11 }, (_, i) => i);
    const out = await pool.map(square, inputs, { signal: new AbortController().signal, onReport: (i, r) => reports.push(`${i}:${r}`) });
    expect(out).toEqual(inputs.map((x) => x * x));
    expect(reports.sort()).toEqual(inputs.map((i) => `${i}:at ${i}`).sort());
    expect(await inProcessPool.map(square, inputs, { signal: new AbortController().signal })).toEqual(out);
  });

  it('rejects with the worker\'s error named, and with a TaskFailure when an answer is not the task\'s output', async () => {
    const pool = new WorkerPool({ spawn: () => fakeWorker([]), workers: 2, local: false });
    await expect(pool.map(square, [1, -2, 3], { signal: new AbortController().signal })).rejects.toThrow(new TaskFailure('test.square', 'RangeError', 'negative -2'));
    await expect(pool.map(liar, [1], { signal: new AbortController().signal })).rejects.toThrow('the worker answered with a value that is not this task’s output');
  });

  it('terminates busy workers and rejects with an AbortError when cancelled', async () => {
    const log: string[] = [];
    const pool = new WorkerPool({ spawn: () => fakeWorker(log), workers: 2, local: false });
    const controller = new AbortController();
    const pending = pool.map(square, [1, 2, 3, 4, 5, 6], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toEqual(['terminated', 'terminated']);
    expect(await pool.map(square, [3], { signal: new AbortController().signal })).toEqual([9]);
  });

  it('sizes the default pool at cores − 1 workers, at least 1, and refuses a pool with no lane', () => {
    expect([1, 2, 8].map(defaultWorkerCount)).toEqual([1, 1, 7]);
    expect(() => new WorkerPool({ spawn: () => fakeWorker([]), workers: 0, local: false })).toThrow('A pool needs at least one lane: workers ≥ 1 or local.');
  });

  it('hands workers the costliest tasks first and the calling thread the cheapest (ties in input order), outputs in input order', async () => {
    expect(handOutOrder({ cost: (x: number) => x % 4 }, [0, 1, 2, 3, 4, 5, 6, 7])).toEqual([3, 7, 2, 6, 1, 5, 0, 4]);
    expect(handOutOrder({}, [5, 1, 9])).toEqual([0, 1, 2]);
    const local: number[] = [];
    const alone = new WorkerPool({ spawn: () => fakeWorker([]), workers: 0, local: true });
    expect(await alone.map(costed(local), [0, 1, 2, 3, 4, 5, 6, 7], { signal: new AbortController().signal })).toEqual([0, 1, 4, 9, 16, 25, 36, 49]);
    expect(local).toEqual([4, 0, 5, 1, 6, 2, 7, 3]);
    const posted: unknown[] = [];
    const serve = fakeWorker([]);
    const workers = new WorkerPool({ spawn: () => ({ ...serve, post: (request) => (posted.push(request.input), serve.post(request)) }), workers: 1, local: false });
    expect(await workers.map(costed([]), [0, 1, 2, 3, 4, 5, 6, 7], { signal: new AbortController().signal })).toEqual([0, 1, 4, 9, 16, 25, 36, 49]);
    expect(posted).toEqual([3, 7, 2, 6, 1, 5, 0, 4]);
  });

  it('gives a worker no task before it is ready: the calling thread does them all and the map does not wait for the load', async () => {
    const never = new Promise<void>(() => undefined);
    const pool = new WorkerPool({ spawn: () => fakeWorker([], never), workers: 2, local: true });
    const started: number[] = [];
    expect(await pool.map(costed(started), [1, 2, 3, 4], { signal: new AbortController().signal })).toEqual([1, 4, 9, 16]);
    expect(started.sort()).toEqual([1, 2, 3, 4]);
  });

  it('hands a worker tasks once it is ready, beside the calling thread', async () => {
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seen: string[] = [];
    const slow: TaskSpec<number, number, string> = {
      ...square,
      async run(x) {
        seen.push(`local ${x}`);
        // The calling thread's first task opens the gate and lasts (50 ms) while the worker (5 ms a task) takes the rest.
        open();
        await new Promise((r) => setTimeout(r, 50));
        return x * x;
      },
    };
    const serve = fakeWorker([]);
    const remote: TaskWorker = { ...serve, ready: gate, post: (request) => (seen.push(`worker ${String(request.input)}`), serve.post(request)) };
    const pool = new WorkerPool({ spawn: () => remote, workers: 1, local: true });
    expect(await pool.map(slow, [1, 2, 3], { signal: new AbortController().signal })).toEqual([1, 4, 9]);
    expect(seen).toEqual(['local 3', 'worker 1', 'worker 2']);
  });

  it('starts its workers on warm() and uses those for the next map', async () => {
    let spawned = 0;
    const pool = new WorkerPool({ spawn: () => (spawned++, fakeWorker([])), workers: 3, local: true });
    pool.warm();
    expect([spawned, pool.workersStarted]).toEqual([3, 3]);
    pool.warm();
    expect(await pool.map(square, [1, 2, 3, 4, 5], { signal: new AbortController().signal })).toEqual([1, 4, 9, 16, 25]);
    expect(spawned).toBe(3);
    pool.close();
    expect(pool.workersStarted).toBe(0);
  });

  it('rejects with a WorkerCrash naming the cause when its only worker fails to start, and a cancel while loading stops it', async () => {
    const broken = Promise.reject(new Error('script not found'));
    broken.catch(() => undefined);
    const pool = new WorkerPool({ spawn: () => fakeWorker([], broken), workers: 1, local: false });
    await expect(pool.map(square, [1], { signal: new AbortController().signal })).rejects.toThrow(new TaskFailure('test.square', 'WorkerCrash', 'the worker failed to start: script not found'));
    const log: string[] = [];
    const loading = new WorkerPool({ spawn: () => fakeWorker(log, new Promise<void>(() => undefined)), workers: 1, local: false });
    const controller = new AbortController();
    const pending = loading.map(square, [1], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toEqual(['terminated']);
    expect(loading.workersStarted).toBe(0);
  });

  it('traces each task once with its lane and times in order (sent ≤ received ≤ finished ≤ returned), inside one map event', async () => {
    const events: PoolEvent[] = [];
    let now = 0;
    const clock = (): ThreadTimes => ({ cpuMs: (now += 3), waitMs: now / 3 });
    const pool = new WorkerPool({ spawn: () => fakeWorker([]), workers: 2, local: true, trace: (e) => events.push(e), threadTimes: clock });
    const inputs = [0, 1, 2, 3, 4, 5, 6];
    expect(await pool.map(costed([]), inputs, { signal: new AbortController().signal })).toEqual(inputs.map((x) => x * x));
    const tasks = events.flatMap((e) => (e.type === 'task' ? [e] : []));
    const maps = events.flatMap((e) => (e.type === 'map' ? [e] : []));
    expect(tasks.map((t) => t.index).sort()).toEqual(inputs);
    expect(new Set(tasks.map((t) => t.lane))).toEqual(new Set([0, 1, 2]));
    expect(maps).toHaveLength(1);
    const [map] = maps;
    for (const t of tasks) {
      expect(t.cost).toBe(t.index % 4);
      expect(t.sentAt).toBeGreaterThanOrEqual(map?.startedAt ?? Number.NaN);
      expect(t.receivedAt).toBeGreaterThanOrEqual(t.sentAt);
      expect(t.finishedAt).toBeGreaterThanOrEqual(t.receivedAt);
      expect(t.returnedAt).toBeGreaterThanOrEqual(t.finishedAt);
      expect(t.returnedAt).toBeLessThanOrEqual(map?.endedAt ?? Number.NaN);
      // The calling thread's tasks read its clock twice (3 ms apart); the fake workers have none.
      expect([t.cpuMs, t.waitMs]).toEqual(t.lane === 0 ? [3, 1] : [null, null]);
    }
  });

  it('serves a task with its timing: the thread times read before and after, and null without a reader', async () => {
    const replies: TaskReply[] = [];
    const times: ThreadTimes[] = [{ cpuMs: 10, waitMs: 2 }, { cpuMs: 25.5, waitMs: 7 }];
    await serveTask(registry, { id: 4, task: square.name, input: 3 }, (r) => replies.push(r), () => times.shift() ?? null);
    await serveTask(registry, { id: 5, task: 'no.such', input: 3 }, (r) => replies.push(r));
    const done = replies.find((r) => r.type === 'done');
    const error = replies.find((r) => r.type === 'error');
    expect(done?.type === 'done' ? done.timing : undefined).toMatchObject({ cpuMs: 15.5, waitMs: 5 });
    expect(done?.type === 'done' && done.timing ? done.timing.finishedAt - done.timing.receivedAt : -1).toBeGreaterThanOrEqual(0);
    expect(error?.type === 'error' ? error.timing : undefined).toMatchObject({ cpuMs: null, waitMs: null });
  });

  it('traces a worker\'s start marks and its warm-up under the lane it was spawned as', () => {
    const events: PoolEvent[] = [];
    const boots: ((e: { spawnedAt: number; marks: Record<string, number> } | { type: 'warmed'; at: number; cpuMs: number | null }) => void)[] = [];
    const pool = new WorkerPool({ spawn: () => ({ ...fakeWorker([]), onBoot: (h) => boots.push(h) }), workers: 2, local: true, trace: (e) => events.push(e) });
    pool.warm();
    boots[1]?.({ spawnedAt: 100, marks: { loaded: 150, backend: 170 } });
    boots[1]?.({ type: 'warmed', at: 200, cpuMs: 42 });
    expect(events).toEqual([
      { type: 'boot', lane: 2, spawnedAt: 100, marks: { loaded: 150, backend: 170 } },
      { type: 'warmed', lane: 2, at: 200, cpuMs: 42 },
    ]);
    expect([isWorkerWarmed({ type: 'warmed', at: 1, cpuMs: null }), isWorkerWarmed({ type: 'ready' })]).toEqual([true, false]);
    pool.close();
  });

  it('tells a ready message from a task reply', () => {
    expect([isWorkerReady({ type: 'ready' }), isWorkerReady({ id: 1, type: 'done', output: 1 }), isWorkerReady(null)]).toEqual([true, false, false]);
    expect([isTaskReply({ id: 1, type: 'done', output: 1 }), isTaskReply({ type: 'ready' }), isTaskReply({ id: '1', type: 'report' })]).toEqual([true, false, false]);
  });
});
