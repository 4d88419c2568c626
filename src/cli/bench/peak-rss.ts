/**
 * This process's own peak resident memory, in bytes: Linux's VmHWM (the high-water mark of this
 * process's memory map, which starts afresh at exec). getrusage's maxRSS is not that: Linux
 * carries the parent's RSS at fork across exec, so a child spawned by a parent of 100 MiB
 * reports at least 100 MiB however little it holds. maxRSS where /proc is missing.
 */
import { readFileSync } from 'node:fs';

export function ownPeakRss(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // No /proc: fall back below.
  }
  return process.resourceUsage().maxRSS * 1024;
}
