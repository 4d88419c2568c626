/**
 * A classify model read back from its JSON file (`<node>.model.json`): the artifacts of the
 * model port as `insight run --out` and the studio's download write them. Current files hold
 * typed arrays as base64 (src/engine/typed-json.ts, bit-exact); files written before that hold
 * plain number arrays, with non-finite numbers written as null (a split's +∞ threshold, a mean
 * of no values). Both read back into the TabularModel that predicts what the original did.
 */
import { typedFromJson } from '../engine/typed-json.ts';
import type { GbdtModel, GbdtTree } from './gbdt.ts';
import type { LogisticModel } from './logistic.ts';
import type { TabularColumn, TabularEncoding } from './tabular.ts';
import type { TabularFolds, TabularModel } from './tabular-model.ts';

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: Json, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** A number, null read as `missing` (how non-finite numbers were written); undefined when neither. */
function num(v: unknown, missing = Number.NaN): number | undefined {
  if (typeof v === 'number') return v;
  return v === null ? missing : undefined;
}

/** A Float64Array from TypedJson or a plain array (null entries read as `missing`); null when neither. */
function f64(v: unknown, missing = Number.NaN): Float64Array | null {
  const typed = typedFromJson(v);
  if (typed) return typed instanceof Float64Array ? typed : null;
  if (!Array.isArray(v)) return null;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = num(v[i], missing);
    if (x === undefined) return null;
    out[i] = x;
  }
  return out;
}

/** An Int32Array or Uint8Array from TypedJson or a plain array of integers; null otherwise. */
function ints<T extends Int32Array | Uint8Array>(v: unknown, Type: { new (n: number): T }): T | null {
  const typed = typedFromJson(v);
  if (typed) return typed instanceof Type ? typed : null;
  if (!Array.isArray(v)) return null;
  const out = new Type(v.length);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isInteger(x)) return null;
    out[i] = x;
  }
  return out;
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.slice() : null;
}

function encodingOf(v: unknown): TabularEncoding | null {
  const columns = isObject(v) ? field(v, 'columns') : undefined;
  if (!Array.isArray(columns)) return null;
  const out: TabularColumn[] = [];
  for (const c of columns) {
    if (!isObject(c)) return null;
    const name = field(c, 'name');
    const kind = field(c, 'kind');
    const mean = num(field(c, 'mean'));
    const hasMissing = field(c, 'hasMissing');
    const levels = strings(field(c, 'levels'));
    const otherCount = num(field(c, 'otherCount'));
    const log = field(c, 'log');
    if (typeof name !== 'string' || (kind !== 'number' && kind !== 'boolean' && kind !== 'date' && kind !== 'category') || mean === undefined || typeof hasMissing !== 'boolean' || levels === null || otherCount === undefined || (log !== undefined && typeof log !== 'boolean')) return null;
    out.push({ name, kind, mean, hasMissing, levels, otherCount, ...(log === true ? { log: true } : {}) });
  }
  return { columns: out };
}

function treeOf(v: unknown): GbdtTree | null {
  if (!isObject(v)) return null;
  const feature = ints(field(v, 'feature'), Int32Array);
  const thresholdBin = ints(field(v, 'thresholdBin'), Int32Array);
  // The only non-finite threshold a tree holds is +∞ (the last bin: every finite value goes left).
  const threshold = f64(field(v, 'threshold'), Number.POSITIVE_INFINITY);
  const missingLeft = ints(field(v, 'missingLeft'), Uint8Array);
  const left = ints(field(v, 'left'), Int32Array);
  const right = ints(field(v, 'right'), Int32Array);
  const [value, count, cover, gain] = ['value', 'count', 'cover', 'gain'].map((k) => f64(field(v, k)));
  if (!feature || !thresholdBin || !threshold || !missingLeft || !left || !right || !value || !count || !cover || !gain) return null;
  const n = feature.length;
  if (![thresholdBin, threshold, missingLeft, left, right, value, count, cover, gain].every((a) => a.length === n)) return null;
  return { feature, thresholdBin, threshold, missingLeft, left, right, value, count, cover, gain };
}

function gbdtOf(v: unknown): GbdtModel | null {
  if (!isObject(v)) return null;
  const edges = field(v, 'binEdges');
  const trees = field(v, 'trees');
  const baseline = num(field(v, 'baseline'));
  const featureGain = f64(field(v, 'featureGain'));
  const trainLoss = num(field(v, 'trainLoss'));
  const validationLoss = f64(field(v, 'validationLoss') ?? []);
  const earlyStopped = field(v, 'earlyStopped');
  if (!Array.isArray(edges) || !Array.isArray(trees) || baseline === undefined || !featureGain || trainLoss === undefined || !validationLoss || typeof earlyStopped !== 'boolean') return null;
  const binEdges = edges.map((e) => f64(e, Number.POSITIVE_INFINITY));
  const read = trees.map(treeOf);
  if (binEdges.some((e) => e === null) || read.some((t) => t === null)) return null;
  return { binEdges: binEdges.filter((e) => e !== null), baseline, trees: read.filter((t) => t !== null), featureGain, trainLoss, validationLoss: Array.from(validationLoss), earlyStopped };
}

function logisticOf(v: unknown): LogisticModel | null {
  if (!isObject(v)) return null;
  const [mean, scale, coef, coefRaw] = ['mean', 'scale', 'coef', 'coefRaw'].map((k) => f64(field(v, k)));
  const [intercept, interceptRaw, C, iterations] = ['intercept', 'interceptRaw', 'C', 'iterations'].map((k) => num(field(v, k)));
  const converged = field(v, 'converged');
  if (!mean || !scale || !coef || !coefRaw || intercept === undefined || interceptRaw === undefined || C === undefined || iterations === undefined || typeof converged !== 'boolean') return null;
  return { mean, scale, coef, intercept, coefRaw, interceptRaw, C, iterations, converged };
}

function foldsOf(v: unknown, depth: number): TabularFolds | null {
  if (!isObject(v)) return null;
  const idColumn = field(v, 'idColumn');
  const ids = strings(field(v, 'ids'));
  const fold = ints(field(v, 'fold'), Int32Array);
  const models = field(v, 'models');
  if (typeof idColumn !== 'string' || !ids || !fold || fold.length !== ids.length || !Array.isArray(models)) return null;
  const read = models.map((m) => tabularModelOf(m, depth + 1));
  if (read.some((m) => m === null)) return null;
  return { idColumn, ids, fold, models: read.filter((m) => m !== null) };
}

function tabularModelOf(v: unknown, depth: number): TabularModel | null {
  if (!isObject(v) || depth > 2 || field(v, 'format') !== 'insight-classify') return null;
  const encoding = encodingOf(field(v, 'encoding'));
  const features = strings(field(v, 'features'));
  if (!encoding || !features) return null;
  const rawFolds = field(v, 'folds');
  const folds = rawFolds === undefined || rawFolds === null ? undefined : foldsOf(rawFolds, depth);
  if (folds === null) return null;
  const learner = field(v, 'learner');
  const base = { format: 'insight-classify' as const, encoding, features, ...(folds ? { folds } : {}) };
  if (learner === 'gbdt') {
    const gbdt = gbdtOf(field(v, 'gbdt'));
    return gbdt ? { ...base, learner, gbdt } : null;
  }
  if (learner === 'logistic') {
    const logistic = logisticOf(field(v, 'logistic'));
    return logistic ? { ...base, learner, logistic } : null;
  }
  return null;
}

/**
 * The classify model in a model file's JSON (the whole port value `{ kind, metadata, artifacts }`,
 * or its artifacts alone), in either form; null when it is not one (a field missing or of the wrong type).
 */
export function tabularModelFromJson(json: unknown): TabularModel | null {
  const artifacts = isObject(json) && field(json, 'kind') === 'classify' ? field(json, 'artifacts') : json;
  return tabularModelOf(artifacts, 0);
}
