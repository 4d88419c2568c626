/**
 * Runs data node kinds through the real Engine for the node tests: inputs come from small
 * "feed" nodes so each test states only the node under test, its params and its inputs.
 */
import { nodeRegistry } from '../../nodes/index.ts';
import { createNodeHost, type NodeHostOptions } from '../../src/cli/node-host.ts';
import type { PipelineDocument } from '../../src/engine/document.ts';
import type { AnyNodeSpec } from '../../src/engine/node.ts';
import type { PortType } from '../../src/engine/ports.ts';
import { Engine, type NodeStatus } from '../../src/engine/runner.ts';

/** A value fed to one input port, with its port type. */
export interface Feed {
  /** Port type of the value. */
  type: PortType;
  /** The value. */
  value: unknown;
}

/** What a single-node run gives back. */
export interface NodeRun {
  /** Final status of the node (state, issues, summary). */
  status: NodeStatus;
  /** Its outputs (undefined when it failed). */
  outputs: Record<string, unknown> | undefined;
  /** Issue codes in order. */
  codes: string[];
}

/** Runs one node of `kind` with params and fed inputs; the node id is `subject`. */
export async function runNode(kind: string, params: Record<string, unknown>, inputs: Record<string, Feed> = {}, host: NodeHostOptions = {}, seed = 42): Promise<NodeRun> {
  const spec = nodeRegistry[kind];
  if (!spec) throw new Error(`unknown kind ${kind}`);
  const registry: Record<string, AnyNodeSpec> = { ...nodeRegistry };
  const nodes: PipelineDocument['nodes'] = [];
  const edges: PipelineDocument['edges'] = [];
  for (const [port, feed] of Object.entries(inputs)) {
    const feedKind = `feed-${port.toLowerCase()}`;
    registry[feedKind] = { kind: feedKind, version: 1, label: 'Feed', description: '', category: 'data', inputs: {}, outputs: { out: feed.type }, params: {}, messages: {}, run: async () => ({ out: feed.value }) };
    nodes.push({ id: `feed_${port}`, kind: feedKind, version: 1, params: {}, position: [0, 0], note: '' });
    edges.push({ from: [`feed_${port}`, 'out'], to: ['subject', port] });
  }
  nodes.push({ id: 'subject', kind, version: spec.version, params, position: [0, 0], note: '' });
  const doc: PipelineDocument = { format: 'insight-pipeline', version: 1, name: 'test', description: '', seed, nodes, edges, notes: [] };
  const engine = new Engine({ registry, host: createNodeHost(host) });
  const report = await engine.run(doc);
  const status = report.statuses.subject;
  if (!status) throw new Error('no status for the subject node');
  return { status, outputs: engine.outputs(doc, 'subject'), codes: status.issues.map((i) => i.code) };
}

/** Feeds a table. */
export function tableFeed(value: unknown): Feed {
  return { type: 'table', value };
}

/** A table's rows as plain objects keyed by column name (typed for property access). */
export function rowObjects(table: import('arquero').ColumnTable): Record<string, unknown>[] {
  const names = table.columnNames();
  const columns = names.map((name) => table.array(name));
  return Array.from({ length: table.numRows() }, (_, i) => Object.fromEntries(names.map((name, k) => [name, columns[k]![i]])));
}
