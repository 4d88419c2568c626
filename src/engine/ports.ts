/**
 * Port types and the values that travel along edges. The engine's `canConnect` is the only
 * place that decides which output may feed which input; the canvas asks it.
 */
import type { ColumnTable } from 'arquero';

/** A JSON value (what documents, metrics and transforms are made of). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Fitted parameters that can be applied to other data (min/max, weights, centroids...). */
export interface Transform {
  /** What fitted it, e.g. `normalise`, `weight`, `segment`, `sequence-scaler`. */
  kind: string;
  /** A readable one-liner, e.g. "min-max on 3 columns". */
  label: string;
  /** The fitted numbers, JSON-serialisable. */
  params: JsonObject;
}

/** Per-entity sequences: x is row-major [n, steps, features]. */
export interface Sequences {
  /** Values, row-major [n, steps, features]. */
  x: Float32Array;
  /** Number of sequences (entities). */
  n: number;
  /** Timesteps per sequence. */
  steps: number;
  /** Features per step. */
  features: number;
  /** Binary label per sequence (0/1); NaN where unknown. */
  labels: Float32Array;
  /** Entity id per sequence (e.g. customer id). */
  ids: string[];
  /** Feature name per feature index. */
  featureNames: string[];
  /** Label of each step (e.g. the period's start date). */
  stepLabels: string[];
  /** How the sequences were made (cutoff, horizon, period, scaling), for display and reuse. */
  meta: JsonObject;
}

/** A trained model with its metadata; `artifacts` is owned by the node kind that made it. */
export interface ModelValue {
  /** Model family, e.g. `lstm`. */
  kind: string;
  /** Backend, seed, epochs, history, feature names... */
  metadata: JsonObject;
  /** The weights in a form the producing kernel understands (plain arrays / typed arrays). */
  artifacts: unknown;
}

/** Evaluation results: headline numbers plus tables (curves, confusion, per-fold). */
export interface MetricsValue {
  /** Headline figures by name (null where undefined, with a warning saying why). */
  summary: Record<string, number | null>;
  /** Supporting tables by name (roc, pr, confusion, folds, baseline...). */
  tables: Record<string, ColumnTable>;
  /** Anything else worth showing, JSON-serialisable. */
  detail: JsonObject;
}

/** Segmentation results. */
export interface SegmentsValue {
  /** One row per entity: id, segment (and segment name). */
  assignments: ColumnTable;
  /** One row per segment: size, name, centroid in original units, means. */
  profiles: ColumnTable;
  /** Curves (k, silhouette, inertia) when k was chosen over a range. */
  curves: ColumnTable;
  /** Choice of k, sample sizes, feature names. */
  detail: JsonObject;
}

/** Why a model scores each customer as it does, and what drives it overall. */
export interface ExplanationsValue {
  /** One row per customer: id, score, baseline score, completeness gap, reason_1..n (en and zh). */
  customers: ColumnTable;
  /** Each customer's top reasons, long: id, rank, feature, window, attribution, reason, reason_zh. */
  reasons: ColumnTable;
  /** Global importance: kind (feature or step), name, drop in AUC, its sd over repeats. */
  importance: ColumnTable;
  /** Per-customer attribution cells [n × steps × features] for heatmaps, customers in `customers` order; `inputs`: the customers' own (unscaled) values in the same layout, where the model reads a sequence. */
  cells: { steps: number; features: number; featureNames: string[]; stepLabels: string[]; values: Float32Array; inputs?: Float32Array };
  /** Method, baseline, steps, checks and figures. */
  detail: JsonObject;
}

/** The value type carried by each port type. */
export interface PortValues {
  /** A table (Arquero). */
  table: ColumnTable;
  /** Fitted parameters. */
  transform: Transform;
  /** Per-entity sequences with labels. */
  sequences: Sequences;
  /** A trained model. */
  model: ModelValue;
  /** A table with columns id, score, label, fold. */
  predictions: ColumnTable;
  /** Evaluation results. */
  metrics: MetricsValue;
  /** Segmentation results. */
  segments: SegmentsValue;
  /** A table with columns id, rank, item, score, reason. */
  recommendations: ColumnTable;
  /** Per-customer attributions and global importance. */
  explanations: ExplanationsValue;
}

/** One of the port types. */
export type PortType = keyof PortValues;

/** Every port type, in display order. */
export const portTypes: readonly PortType[] = [
  'table',
  'transform',
  'sequences',
  'model',
  'predictions',
  'metrics',
  'segments',
  'recommendations',
  'explanations',
];

/** Port types whose values are tables and may therefore also feed a `table` input. */
const tableLike: ReadonlySet<PortType> = new Set<PortType>(['table', 'predictions', 'recommendations']);

/** Result of asking whether an output may feed an input. */
export type ConnectCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether an output of type `from` may connect to an input of type `to`: the same type, or a
 * table-shaped output (predictions, recommendations) into a plain table input.
 */
export function canConnect(from: PortType, to: PortType): ConnectCheck {
  if (from === to) return { ok: true };
  if (to === 'table' && tableLike.has(from)) return { ok: true };
  return { ok: false, reason: `a ${from} output cannot feed a ${to} input` };
}

/** True when a string names a port type. */
export function isPortType(value: string): value is PortType {
  return (portTypes as readonly string[]).includes(value);
}

/** True when a value has the shape of a model port value. */
export function isModelValue(value: unknown): value is ModelValue {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string' && 'metadata' in value && 'artifacts' in value;
}
