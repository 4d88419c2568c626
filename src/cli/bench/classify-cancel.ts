/**
 * Cancel latency of the classify node, as a person clicking Cancel meets it: the node runs in
 * the real Engine, a timer aborts the run at a chosen moment, and the latency is the time from
 * that moment (when the click would land in the worker's queue) to the run's end. The timer
 * fires only when the node yields to the event loop, exactly as the worker's cancel message is
 * only read then, so the figure includes the wait for the current tree or Newton iteration.
 */
import type { ColumnTable } from 'arquero';
import { nodeRegistry } from '../../../nodes/index.ts';
import type { PipelineDocument } from '../../engine/document.ts';
import { Engine } from '../../engine/runner.ts';
import { createNodeHost } from '../node-host.ts';

/** What one cancelled run measured. */
export interface CancelRun {
  /** Milliseconds after the start at which Cancel was "clicked". */
  atMs: number;
  /** Milliseconds from the click to the end of the run (null when the run ended first). */
  latencyMs: number | null;
  /** The node's state at the end (cancelled when the click landed). */
  state: string;
  /**
   * CPU milliseconds of this process from its last progress report before the click to the end
   * of the run: an upper bound of the latency on an idle core (wall time on a loaded machine
   * also counts the time other processes held the core).
   */
  cpuMs: number | null;
  /** Longest gap between two progress reports of the node before the click, in ms. */
  longestStepMs: number;
}

/** Runs classify on `table` once per delay, cancelling after that many milliseconds. */
export async function measureCancel(table: ColumnTable, params: Record<string, unknown>, delaysMs: readonly number[]): Promise<CancelRun[]> {
  const feed = { kind: 'feed-table', version: 1, label: 'Feed', description: '', category: 'data' as const, inputs: {}, outputs: { out: 'table' as const }, params: {}, messages: {}, run: async () => ({ out: table }) };
  const doc: PipelineDocument = {
    format: 'insight-pipeline', version: 1, name: 'cancel bench', description: '', seed: 42, notes: [],
    nodes: [
      { id: 'feed', kind: 'feed-table', version: 1, params: {}, position: [0, 0], note: '' },
      { id: 'classify', kind: 'classify', version: 1, params, position: [0, 0], note: '' },
    ],
    edges: [{ from: ['feed', 'out'], to: ['classify', 'table'] }],
  };
  const out: CancelRun[] = [];
  for (const atMs of delaysMs) {
    const engine = new Engine({ registry: { ...nodeRegistry, 'feed-table': feed }, host: createNodeHost() });
    const controller = new AbortController();
    let last = Number.NaN;
    let longest = 0;
    const start = performance.now();
    let cpuBefore = process.cpuUsage();
    const timer = setTimeout(() => controller.abort(), atMs);
    const report = await engine.run(doc, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type !== 'progress' || e.nodeId !== 'classify' || controller.signal.aborted) return;
        const now = performance.now();
        if (Number.isFinite(last)) longest = Math.max(longest, now - last);
        last = now;
        if (now <= start + atMs) cpuBefore = process.cpuUsage();
      },
    });
    const end = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    clearTimeout(timer);
    const state = report.statuses.classify?.state ?? 'missing';
    const cancelled = state === 'cancelled';
    out.push({ atMs, latencyMs: cancelled ? end - (start + atMs) : null, cpuMs: cancelled ? (cpu.user + cpu.system) / 1000 : null, state, longestStepMs: longest });
  }
  return out;
}
