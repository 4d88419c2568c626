/**
 * A full garbage collection between two nodes of a one-shot run (the CLI's `release`), when
 * the node just settled left much behind: V8 collects on its own schedule, which on a data
 * chain comes late — a node's scratch (load's walk, a duplicate check's hashes) and the
 * outputs just released stay resident while the next node builds its own, and the chain's
 * peak is their sum. Measured on the data bench's chain (1,000,000 rows, 72.4 MiB file,
 * precompiled, `--max-semi-space-size=2` as `insight` starts): one collection after load
 * takes ~36 ms and lowers the peak from ~213–224 to ~206–209 MiB, because after it every
 * later node's peak sits below load's own (code, bytes and walk). A minor collection (~3 ms)
 * frees too little (223 MiB): load's garbage is in the old generation by then.
 *
 * Node only: `gc` is V8's, exposed for one new context (`--expose-gc` is a V8 flag; the
 * process's own global scope is left as it was).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Growth of the heap and external memory since the last collection above which a node boundary collects. */
export const collectAfterBytes = 64 * 1048576;

let exposed: (() => void) | null | undefined;

/** V8's full collection, or null where it cannot be had (another engine, a locked-down flag). */
export function fullCollection(): (() => void) | null {
  if (exposed !== undefined) return exposed;
  const own: unknown = Reflect.get(globalThis, 'gc');
  if (typeof own === 'function') return (exposed = () => Reflect.apply(own, undefined, []));
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    exposed = typeof gc === 'function' ? () => Reflect.apply(gc, undefined, []) : null;
  } catch {
    exposed = null;
  } finally {
    // Contexts made later (vm, workers) get no gc either, whether or not this one did.
    setFlagsFromString('--no-expose-gc');
  }
  return exposed;
}

/** What a boundary collector reads and calls (tests give their own). */
export interface BoundaryCollectorOptions {
  /** Bytes that count: V8's heap in use plus memory outside it (array buffers); default process.memoryUsage(). */
  usage?: () => number;
  /** The full collection; default `fullCollection()`. */
  gc?: (() => void) | null;
  /** Default `collectAfterBytes`. */
  threshold?: number;
}

/**
 * A function to call at each node boundary: it collects when the memory in use grew by more
 * than `threshold` since the last collection (or since it was made), and returns whether it did.
 * Small runs (the default project, tests) never reach the threshold and never pay for one.
 */
export function boundaryCollector(options: BoundaryCollectorOptions = {}): () => boolean {
  const usage =
    options.usage ??
    (() => {
      const u = process.memoryUsage();
      return u.heapUsed + u.external;
    });
  const threshold = options.threshold ?? collectAfterBytes;
  // Looked up at the first collection (never, for a run that stays small); null: none to be had.
  let gc: (() => void) | null | undefined = options.gc;
  let since = usage();
  return () => {
    const now = usage();
    if (now - since <= threshold) {
      // Memory that fell (a collection V8 made itself) lowers the mark, so growth counts from there.
      since = Math.min(since, now);
      return false;
    }
    if (gc === undefined) gc = fullCollection();
    if (gc === null) return false;
    gc();
    since = usage();
    return true;
  };
}
