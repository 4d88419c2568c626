/**
 * Per-thread CPU and run-queue wait from Linux's /proc schedstat (nanosecond counters), for the
 * pool's trace and the benches: what a thread ran, and how long it was ready but waiting for a
 * core (the machine's other load). Null where /proc does not have them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ThreadTimes } from '../engine/parallel.ts';

function parse(text: string): ThreadTimes | null {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  if (run === undefined || wait === undefined || !Number.isFinite(run) || !Number.isFinite(wait)) return null;
  return { cpuMs: run / 1e6, waitMs: wait / 1e6 };
}

/** The calling thread's times, or null off Linux. */
export function ownThreadTimes(): ThreadTimes | null {
  try {
    return parse(readFileSync('/proc/thread-self/schedstat', 'utf8'));
  } catch {
    return null;
  }
}

/** Every thread of this process by thread id (the main thread's id is the pid); empty off Linux. */
export function processThreadTimes(): Map<number, ThreadTimes> {
  const times = new Map<number, ThreadTimes>();
  if (!existsSync('/proc/self/task')) return times;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const t = parse(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8'));
      if (t) times.set(Number(tid), t);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times;
}
