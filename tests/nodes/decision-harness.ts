/**
 * Test harness for the decision nodes (segment, recommend, decide): runs a node spec directly
 * with a NodeContext built the way the engine's runner builds one (seeded random from the
 * pipeline seed and node id, declared warnings collected, declared errors thrown as
 * InsightError), so tests can call a node without building a whole pipeline.
 */
import type { ColumnTable } from 'arquero';
import { declaredMessage, type InputSpec, type InputValues, type NodeContext, type NodeSpec, type OutputValues } from '../../src/engine/node.ts';
import { InsightError, type InsightIssue, type IssueValues } from '../../src/engine/errors.ts';
import { defaultParams, type ParamSpecs, type ParamValues } from '../../src/engine/params.ts';
import type { PortType } from '../../src/engine/ports.ts';
import { createRng, deriveSeed } from '../../src/ml/random.ts';
import { createNodeHost } from '../../src/cli/node-host.ts';

/** What a direct run returns: the outputs and the warnings emitted. */
export interface DirectRun<O> {
  /** The node's outputs. */
  outputs: O;
  /** Declared warnings, in order. */
  warnings: InsightIssue[];
}

/** Runs `spec` with the given inputs and params (defaults filled in) under pipeline seed `seed`. */
export async function runNode<I extends Record<string, InputSpec>, O extends Record<string, PortType>, P extends ParamSpecs>(
  spec: NodeSpec<I, O, P>,
  inputs: InputValues<I>,
  params: Partial<ParamValues<P>> = {},
  seed = 42,
  nodeId = 'node1',
): Promise<DirectRun<OutputValues<O>>> {
  const warnings: InsightIssue[] = [];
  const ctx: NodeContext = {
    nodeId,
    seed,
    random: createRng(deriveSeed(seed, nodeId)),
    signal: new AbortController().signal,
    host: createNodeHost(),
    progress: () => undefined,
    warn: (code: string, values: IssueValues = {}) => {
      const m = declaredMessage(spec, code, values);
      warnings.push({ tag: 'InsightIssue', code: m.code, severity: 'warning', message: m.message, nodeId, values });
    },
    fail: (code: string, values: IssueValues = {}, param?: string): never => {
      const m = declaredMessage(spec, code, values);
      throw new InsightError({ code: m.code, severity: 'error', message: m.message, nodeId, values, ...(param === undefined ? {} : { param }) });
    },
    emit: () => undefined,
    checkCancelled: () => undefined,
  };
  const full: ParamValues<P> = { ...defaultParams(spec.params), ...params };
  for (const [name, value] of Object.entries(full)) {
    const paramSpec = spec.params[name];
    if (paramSpec === undefined) throw new Error(`Test passed unknown param ${name}.`);
    const checked = paramSpec.check(value);
    if (!checked.ok) throw new Error(`Test passed a bad ${name}: expected ${checked.expected}.`);
  }
  const outputs = await spec.run(inputs, full, ctx);
  return { outputs, warnings };
}

/** The issue a failing run threw (code, message, param), or a failure when it did not throw one. */
export async function runError(promise: Promise<unknown>): Promise<{ code: string; message: string; param: string | undefined }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof InsightError) return { code: err.issue.code, message: err.issue.message, param: err.issue.param };
    throw err;
  }
  throw new Error('Expected the node to fail, but it succeeded.');
}

/** The values of a column as plain unknowns (Arquero's typed `array()` union is awkward to map over). */
export function values(t: ColumnTable, name: string): unknown[] {
  const get = t.getter(name);
  return Array.from({ length: t.numRows() }, (_, i): unknown => get(i));
}

/** The values of a column as numbers; fails the test on anything that is not a number. */
export function numbers(t: ColumnTable, name: string): number[] {
  return values(t, name).map((v, i) => {
    if (typeof v !== 'number') throw new Error(`Column ${name} row ${i} holds ${String(v)}, not a number.`);
    return v;
  });
}

/** The values of a column as text (null → ''). */
export function strings(t: ColumnTable, name: string): string[] {
  return values(t, name).map((v) => (v === null || v === undefined ? '' : String(v)));
}
