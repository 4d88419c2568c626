/**
 * Test harness for the purchase-intent nodes: feeds fixed port values (tables, sequences,
 * models) into a node under test through the real Engine, and a seeded synthetic shop whose
 * label depends on the trend of recent activity.
 */
import type { TaskPool } from '../../src/engine/parallel.ts';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import type { PortType } from '../../src/engine/ports.ts';
import { Engine, type EngineEvent, type RunReport } from '../../src/engine/runner.ts';
import { createRng } from '../../src/ml/random.ts';

/** A value fed into one input port of the node under test. */
export interface Feed {
  /** Port type of the value. */
  type: PortType;
  /** The value. */
  value: unknown;
}

/** Result of running one node. */
export interface NodeRun {
  /** The run report. */
  report: RunReport;
  /** Outputs of the subject node (undefined when it failed). */
  outputs: Record<string, unknown> | undefined;
  /** Events the subject emitted. */
  events: EngineEvent[];
  /** Status of the subject node. */
  status: RunReport['statuses'][string];
}

/** Runs the registered node `kind` with `params` on the given inputs (port → value). */
export async function runNode(kind: string, params: Record<string, unknown>, inputs: Record<string, Feed>, options: { seed?: number; backend?: string; signal?: AbortSignal; onEvent?: (event: EngineEvent) => void; pool?: TaskPool } = {}): Promise<NodeRun> {
  const spec = nodeRegistry[kind];
  if (!spec) throw new Error(`no node kind ${kind}`);
  const registry: Record<string, AnyNodeSpec> = { [kind]: spec };
  const nodes: PipelineDocument['nodes'] = [];
  const edges: PipelineDocument['edges'] = [];
  for (const [port, feed] of Object.entries(inputs)) {
    const feeder = `feed-${port}`;
    registry[feeder] = {
      kind: feeder,
      version: 1,
      label: feeder,
      description: '',
      category: 'data',
      inputs: {},
      outputs: { out: feed.type },
      params: {},
      messages: {},
      run: async () => ({ out: feed.value }),
    };
    nodes.push({ id: `feed_${port}`, kind: feeder, version: 1, params: {}, position: [0, 0], note: '' });
    edges.push({ from: [`feed_${port}`, 'out'], to: ['subject', port] });
  }
  nodes.push({ id: 'subject', kind, version: spec.version, params, position: [0, 0], note: '' });
  const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'test', description: '', seed: options.seed ?? 7, nodes, edges, notes: [] };
  const engine = new Engine({ registry, host: createNodeHost({ backend: () => options.backend ?? 'cpu', ...(options.pool ? { pool: options.pool } : {}) }) });
  const events: EngineEvent[] = [];
  const report = await engine.run(doc, { onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    }, ...(options.signal ? { signal: options.signal } : {}) });
  const status = report.statuses.subject;
  if (!status) throw new Error('no status for the subject');
  return { report, outputs: engine.outputs(doc, 'subject'), events: events.filter((e) => 'nodeId' in e && e.nodeId === 'subject'), status };
}

/** A table feed. */
export const table = (value: ColumnTable): Feed => ({ type: 'table', value });

/** A seeded synthetic shop: activity rows, a customers table with a label, and static features. */
export interface Shop {
  /** customer_id, timestamp (ISO text), event, quantity. */
  activity: ColumnTable;
  /** customer_id, label (purchased in the horizon), segment. */
  customers: ColumnTable;
  /** customer_id, total (a static feature: all-time activity count). */
  statics: ColumnTable;
  /** Purchases after the cutoff: customer_id, timestamp. */
  future: ColumnTable;
}

/**
 * `customers` customers over 12 weeks before 2024-04-01; each customer's weekly rate rises or
 * fades over the last 4 weeks, and buying in the 4-week horizon is likely exactly when it
 * rises. The horizon purchases are appended to the activity (event "buy").
 */
export function syntheticShop(customers: number, seed: number): Shop {
  const rng = createRng(seed);
  const cutoff = Date.UTC(2024, 3, 1);
  const week = 7 * 86_400_000;
  const ids: string[] = [];
  const times: string[] = [];
  const events: string[] = [];
  const qty: number[] = [];
  const customerIds: string[] = [];
  const labels: number[] = [];
  const totals: number[] = [];
  for (let c = 0; c < customers; c++) {
    const id = `C${String(c + 1).padStart(4, '0')}`;
    const base = 0.5 + 2 * rng.next();
    const rising = rng.next() < 0.5;
    let total = 0;
    for (let w = 0; w < 12; w++) {
      const late = w >= 8 ? (rising ? 1.8 : 0.25) : 1;
      const count = Math.floor(base * late + rng.next() * 1.5);
      for (let k = 0; k < count; k++) {
        const t = cutoff - (12 - w) * week + Math.floor(rng.next() * week);
        ids.push(id);
        times.push(new Date(t).toISOString().replace('T', ' ').slice(0, 19));
        events.push(rng.next() < 0.3 ? 'cart' : 'view');
        qty.push(1 + Math.floor(rng.next() * 3));
        total++;
      }
    }
    const buys = rng.next() < (rising ? 0.85 : 0.15);
    if (buys) {
      ids.push(id);
      times.push(new Date(cutoff + Math.floor(rng.next() * 4 * week)).toISOString().replace('T', ' ').slice(0, 19));
      events.push('buy');
      qty.push(1);
    }
    customerIds.push(id);
    labels.push(buys ? 1 : 0);
    totals.push(total);
  }
  const activity = aq.table({ customer_id: ids, timestamp: times, event: events, quantity: qty });
  const future = activity.filter((d: { event: string }) => d.event === 'buy').select('customer_id', 'timestamp');
  return {
    activity,
    customers: aq.table({ customer_id: customerIds, label: labels }),
    statics: aq.table({ customer_id: customerIds, total: totals }),
    future,
  };
}
