/**
 * The ceiling for the pool bench: a trivially parallel CPU loop (no data, no wasm, no messages
 * beyond one number a chunk) cut into the same number of chunks as the LSTM node's trainings and
 * run on 1 … N lanes of this process (this thread + worker threads), in the same run as the LSTM
 * figures. Its speedup is what the machine gives this process's second thread at that moment;
 * the LSTM node cannot beat it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The loop (the same as spin-worker.mjs's). */
export function spin(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x += Math.sqrt(i + (x % 7));
  return x;
}

/** Iterations of spin() that take about `ms` of CPU on this thread now. */
export function calibrate(ms: number): number {
  let iterations = 1_000_000;
  for (;;) {
    const t = process.cpuUsage();
    spin(iterations);
    const used = process.cpuUsage(t);
    const spent = (used.user + used.system) / 1000;
    if (spent > 50) return Math.round((iterations * ms) / spent);
    iterations *= 4;
  }
}

/** Spin workers kept between measurements. */
export class SpinLanes {
  private readonly workers: Worker[] = [];

  /** Starts `count` workers and waits until each has answered once. */
  async start(count: number): Promise<void> {
    while (this.workers.length < count) {
      const w = new Worker(new URL('./spin-worker.mjs', import.meta.url));
      this.workers.push(w);
      await this.ask(w, 1000);
    }
  }

  private ask(worker: Worker, iterations: number): Promise<number> {
    return new Promise((resolve) => {
      worker.once('message', (value: unknown) => resolve(Number(value)));
      worker.postMessage(iterations);
    });
  }

  /** Wall ms of `chunks` chunks of `iterations` spread over this thread and `lanes − 1` workers, handed out as each lane frees. */
  async run(lanes: number, chunks: number, iterations: number): Promise<number> {
    const t = performance.now();
    let next = 0;
    const workerLane = async (w: Worker): Promise<void> => {
      while (next < chunks) {
        next++;
        await this.ask(w, iterations);
      }
    };
    const localLane = async (): Promise<void> => {
      while (next < chunks) {
        next++;
        spin(iterations);
        // Let the workers' answers in between chunks, as the pool's calling thread does.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([...this.workers.slice(0, lanes - 1).map(workerLane), localLane()]);
    return performance.now() - t;
  }

  /** Stops the workers. */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/**
 * A diagnostic, not a mode the studio could use: the same work as `run(lanes, chunks, …)` spread
 * over `lanes` separate processes, each in a session of its own (detached: setsid), so that on
 * Linux each is its own scheduling group (autogroup) instead of sharing this process's. Wall ms of
 * the slowest process's loop (timed inside it, process start excluded); null when a process fails.
 */
export async function separateSessions(lanes: number, chunks: number, iterations: number): Promise<number | null> {
  const script = fileURLToPath(new URL('./spin-worker.mjs', import.meta.url));
  const share = Math.ceil(chunks / lanes) * iterations;
  const one = (): Promise<number | null> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [script, String(share)], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', () => resolve(null));
      child.on('close', (code) => resolve(code === 0 && Number.isFinite(Number(out)) ? Number(out) : null));
    });
  const walls = await Promise.all(Array.from({ length: lanes }, one));
  if (walls.some((w) => w === null)) return null;
  return Math.max(...walls.map((w) => w ?? 0));
}
