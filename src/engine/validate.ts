/**
 * Whole-pipeline validation against the node registry: known kinds, param values, edges to
 * real nodes and ports, port typing, one edge per input, cycles. Returns every problem.
 */
import { parseDocument, jsonPath, type PipelineDocument, type DocNode } from './document.ts';
import { formatValue, issue, type InsightIssue } from './errors.ts';
import { topologicalOrder, type TopoResult } from './graph.ts';
import { inputType, type AnyNodeSpec } from './node.ts';
import { defaultParams } from './params.ts';
import { canConnect } from './ports.ts';

/** Node kinds by kind name. */
export type NodeRegistry = Readonly<Record<string, AnyNodeSpec>>;

/** The registry of a list of node kinds, in list order; a kind listed twice is refused. */
export function registryOf(kinds: readonly AnyNodeSpec[]): NodeRegistry {
  const out: Record<string, AnyNodeSpec> = {};
  for (const spec of kinds) {
    if (Object.hasOwn(out, spec.kind)) throw new Error(`Node kind ${JSON.stringify(spec.kind)} is registered twice.`);
    out[spec.kind] = spec;
  }
  return Object.freeze(out);
}

/** Result of loading an untrusted document. */
export type LoadResult = { ok: true; document: PipelineDocument; problems: [] } | { ok: false; document?: PipelineDocument; problems: InsightIssue[] };

/** Parses, migrates (document and node params) and validates an untrusted value. */
export function loadPipeline(input: unknown, registry: NodeRegistry): LoadResult {
  const parsed = parseDocument(input);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const document = migrateNodes(parsed.document, registry);
  const problems = validatePipeline(document, registry);
  return problems.length === 0 ? { ok: true, document, problems: [] } : { ok: false, document, problems };
}

/** Applies node-kind param migrations so every node is at its kind's current version. */
export function migrateNodes(doc: PipelineDocument, registry: NodeRegistry): PipelineDocument {
  const nodes = doc.nodes.map((node) => {
    const spec = registry[node.kind];
    if (!spec || node.version >= spec.version) return node;
    let params = node.params;
    for (let version = node.version; version < spec.version; version++) {
      const step = spec.migrate?.[version];
      if (!step) return node;
      params = step(params);
    }
    return { ...node, version: spec.version, params };
  });
  return { ...doc, nodes };
}

/**
 * Fills in defaults for params a node does not set; the document itself is not changed. Each
 * value is the one its check returns where it passes (per-column records then have no prototype,
 * so a column named "constructor" reads only its own entry).
 */
export function resolvedParams(node: DocNode, spec: AnyNodeSpec): Record<string, unknown> {
  const out: Record<string, unknown> = defaultParams(spec.params);
  for (const [name, value] of Object.entries(node.params)) if (Object.hasOwn(spec.params, name)) out[name] = value;
  for (const [name, paramSpec] of Object.entries(spec.params)) {
    const check = paramSpec.check(out[name]);
    if (check.ok) out[name] = check.value;
  }
  return out;
}

/** Checks a node's params against its kind; returns one issue per bad or unknown param. */
export function validateParams(node: DocNode, spec: AnyNodeSpec, index: number): InsightIssue[] {
  const problems: InsightIssue[] = [];
  for (const [name, value] of Object.entries(node.params)) {
    const path = jsonPath(['nodes', index, 'params', name]);
    const paramSpec = Object.hasOwn(spec.params, name) ? spec.params[name] : undefined;
    if (!paramSpec) {
      const known = Object.keys(spec.params);
      problems.push(
        issue('param.unknown', `Node ${JSON.stringify(node.id)} (${node.kind}) has no parameter ${formatValue(name)}${known.length ? `; it has ${known.map((k) => JSON.stringify(k)).join(', ')}` : ''}.`, {
          nodeId: node.id,
          param: name,
          path,
          values: { node: node.id, kind: node.kind, param: name },
        }),
      );
      continue;
    }
    const check = paramSpec.check(value);
    if (!check.ok) {
      problems.push(
        issue('param.invalid', `Node ${JSON.stringify(node.id)} parameter ${JSON.stringify(name)}: expected ${check.expected}, got ${formatValue(value)}.`, {
          nodeId: node.id,
          param: name,
          path,
          values: { node: node.id, param: name, value: formatValue(value), expected: check.expected },
        }),
      );
    }
  }
  return problems;
}

/** Validates a schema-valid document against the registry; returns every problem found (`topo`: the document's order, when the caller sorted it already). */
export function validatePipeline(doc: PipelineDocument, registry: NodeRegistry, topo: TopoResult = topologicalOrder(doc)): InsightIssue[] {
  const problems: InsightIssue[] = [];
  const byId = new Map<string, { node: DocNode; spec: AnyNodeSpec | undefined }>();
  doc.nodes.forEach((node, index) => {
    const path = jsonPath(['nodes', index]);
    if (byId.has(node.id)) {
      problems.push(issue('node.duplicateId', `Two nodes share the id ${JSON.stringify(node.id)}.`, { nodeId: node.id, path: `${path}.id`, values: { node: node.id } }));
      return;
    }
    const spec = Object.hasOwn(registry, node.kind) ? registry[node.kind] : undefined;
    byId.set(node.id, { node, spec });
    if (!spec) {
      problems.push(
        issue('node.unknownKind', `Node ${JSON.stringify(node.id)} has unknown kind ${JSON.stringify(node.kind)}; known kinds: ${Object.keys(registry).join(', ')}.`, {
          nodeId: node.id,
          path: `${path}.kind`,
          values: { node: node.id, kind: node.kind },
        }),
      );
      return;
    }
    if (node.version > spec.version) {
      problems.push(
        issue('node.tooNew', `Node ${JSON.stringify(node.id)} (${node.kind}) has version ${node.version}; this studio knows up to version ${spec.version}.`, {
          nodeId: node.id,
          path: `${path}.version`,
          values: { node: node.id, kind: node.kind, version: node.version, supported: spec.version },
        }),
      );
      return;
    }
    problems.push(...validateParams(node, spec, index));
  });

  const taken = new Map<string, number>();
  doc.edges.forEach((edge, index) => {
    const path = jsonPath(['edges', index]);
    const [fromId, fromPort] = edge.from;
    const [toId, toPort] = edge.to;
    const source = byId.get(fromId);
    const target = byId.get(toId);
    const where = `Edge ${fromId}.${fromPort} → ${toId}.${toPort}`;
    if (!source) {
      problems.push(issue('edge.missingNode', `${where}: there is no node ${JSON.stringify(fromId)}.`, { path: `${path}.from`, nodeId: toId, values: { missing: fromId } }));
      return;
    }
    if (!target) {
      problems.push(issue('edge.missingNode', `${where}: there is no node ${JSON.stringify(toId)}.`, { path: `${path}.to`, nodeId: fromId, values: { missing: toId } }));
      return;
    }
    if (!source.spec || !target.spec) return;
    const outType = Object.hasOwn(source.spec.outputs, fromPort) ? source.spec.outputs[fromPort] : undefined;
    const inSpec = Object.hasOwn(target.spec.inputs, toPort) ? target.spec.inputs[toPort] : undefined;
    if (outType === undefined) {
      problems.push(
        issue('edge.missingPort', `${where}: node ${JSON.stringify(fromId)} (${source.node.kind}) has no output ${JSON.stringify(fromPort)}; outputs: ${Object.keys(source.spec.outputs).join(', ') || 'none'}.`, {
          nodeId: fromId,
          port: fromPort,
          path: `${path}.from`,
          values: { node: fromId, port: fromPort },
        }),
      );
      return;
    }
    if (inSpec === undefined) {
      problems.push(
        issue('edge.missingPort', `${where}: node ${JSON.stringify(toId)} (${target.node.kind}) has no input ${JSON.stringify(toPort)}; inputs: ${Object.keys(target.spec.inputs).join(', ') || 'none'}.`, {
          nodeId: toId,
          port: toPort,
          path: `${path}.to`,
          values: { node: toId, port: toPort },
        }),
      );
      return;
    }
    const check = canConnect(outType, inputType(inSpec));
    if (!check.ok) {
      problems.push(issue('edge.typeMismatch', `${where}: ${check.reason}.`, { nodeId: toId, port: toPort, path, values: { from: `${fromId}.${fromPort}`, to: `${toId}.${toPort}` } }));
      return;
    }
    const key = `${toId}\u0000${toPort}`;
    const earlier = taken.get(key);
    if (earlier !== undefined) {
      problems.push(issue('edge.duplicateInput', `${where}: input ${toId}.${toPort} already has an edge (edge ${earlier + 1}); an input takes one edge.`, { nodeId: toId, port: toPort, path, values: { to: `${toId}.${toPort}` } }));
      return;
    }
    taken.set(key, index);
  });

  // With two nodes under one id the graph is not defined (that problem is reported above), so no cycle is looked for.
  const duplicated = problems.some((p) => p.code === 'node.duplicateId');
  if (!topo.ok && !duplicated && topo.cycle.length > 0) {
    problems.push(issue('graph.cycle', `The pipeline has a cycle: ${[...topo.cycle, topo.cycle[0]].join(' → ')}.`, { path: '$.edges', values: { nodes: topo.cycle.join(',') } }));
  }
  return problems;
}
