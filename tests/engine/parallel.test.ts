import { describe, expect, it } from 'vitest';
import { defaultWorkerCount, inProcessPool, serveTask, TaskFailure, WorkerPool, type AnyTaskSpec, type TaskReply, type TaskSpec, type TaskWorker } from '../../src/engine/parallel.ts';

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

/** A worker that serves tasks on this thread, asynchronously, like a real one would. */
function fakeWorker(log: string[]): TaskWorker {
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
  };
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
});
