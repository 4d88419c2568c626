/**
 * Choosing the compute backend by measured speed, not rank: each available backend trains a
 * few batches of the model's own shape, the fastest wins, and a software GPU (SwiftShader,
 * llvmpipe) is taken over wasm only when it measures faster. The figures are cached per
 * device and shape. Pure: the measuring and the cache are passed in (src/ml/lstm/probe.ts
 * measures on TensorFlow.js; the worker caches in memory and IndexedDB).
 */
import type { JsonObject } from '../engine/ports.ts';
import { BACKEND_LADDER } from './backend-ladder.ts';

/** The shape a probe trains at: the model's own. */
export interface ProbeShape {
  /** Timesteps per sequence. */
  steps: number;
  /** Features per timestep. */
  features: number;
  /** Units per LSTM layer. */
  units: number;
  /** Stacked LSTM layers. */
  layers: number;
  /** Sequences per gradient step. */
  batchSize: number;
}

/** What one backend measured. */
export interface ProbeFigure {
  /** Backend measured. */
  backend: string;
  /** Kernel family it ran ('native-simd', 'tfjs-ops'), or '' when it did not start. */
  engine: string;
  /** Training samples per second after a warm-up batch; null when it could not be measured. */
  samplesPerSecond: number | null;
  /** Timed batches. */
  batches: number;
  /** Wall time of the probe, warm-up included, in ms. */
  ms: number;
  /** The adapter or renderer the backend runs on ('' when unknown). */
  adapter: string;
  /** Whether that adapter is a software rasteriser (SwiftShader, llvmpipe, lavapipe, …). */
  software: boolean;
  /** Why the figure is missing or partial, '' otherwise. */
  note: string;
}

/** The backend chosen for a shape, and why. */
export interface BackendChoice {
  /** The backend to train on. */
  backend: string;
  /** 'measured' (probes ran now), 'cached' (probes from an earlier run on this device), 'forced' (setting or address), 'only' (one candidate). */
  reason: 'measured' | 'cached' | 'forced' | 'only';
  /** Every probe, in the order run. */
  probes: ProbeFigure[];
}

/** Where choices are kept between runs. */
export interface ProbeCache {
  /** The stored choice for a key, if any. */
  get(key: string): Promise<BackendChoice | undefined>;
  /** Stores a choice. */
  set(key: string, choice: BackendChoice): Promise<void>;
}

/** A cache in memory only (Node, tests). */
export function memoryProbeCache(): ProbeCache {
  const map = new Map<string, BackendChoice>();
  return {
    get: async (key) => map.get(key),
    set: async (key, choice) => void map.set(key, choice),
  };
}

/** Describes the device behind a backend without training: adapter name and whether it is software. */
export type DescribeBackend = (backend: string) => Promise<{ adapter: string; software: boolean }>;

/** Trains a few batches of `shape` on `backend` within `budgetMs` and reports the figure. */
export type MeasureBackend = (backend: string, shape: ProbeShape, budgetMs: number) => Promise<ProbeFigure>;

/** Whether an adapter or renderer string names a software rasteriser. */
export function isSoftwareAdapter(description: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i.test(description);
}

/** The cache key of a shape on a device. */
export function probeKey(device: string, shape: ProbeShape): string {
  return `${device}|T${shape.steps}xD${shape.features}|H${shape.units}xL${shape.layers}|B${shape.batchSize}`;
}

/** Options of chooseBackend. */
export interface ChooseOptions {
  /** Backends that may be chosen (those that started), best rank first. */
  candidates: readonly string[];
  /** Measures one backend. */
  measure: MeasureBackend;
  /** Describes the device behind a backend (for the cache key and the software rule). */
  describe: DescribeBackend;
  /** Cache of earlier choices. */
  cache: ProbeCache;
  /** Probe budget per hardware backend in ms (warm-up included). */
  budgetMs?: number;
  /** Probe budget per software adapter in ms: it must beat wasm within it. */
  softwareBudgetMs?: number;
}

/**
 * Chooses the fastest candidate for `shape`. cpu is never probed beside wasm (both run the same
 * native kernels for the fast path); a software adapter wins only when it measures faster
 * than wasm; ties go to rank. Cached per device and shape.
 */
export async function chooseBackend(shape: ProbeShape, options: ChooseOptions): Promise<BackendChoice> {
  const ranked = BACKEND_LADDER.filter((b) => options.candidates.includes(b));
  const candidates = ranked.includes('wasm') ? ranked.filter((b) => b !== 'cpu') : ranked;
  const only = candidates[0];
  if (only === undefined) throw new Error(`No backend to choose from (candidates: ${options.candidates.join(', ') || 'none'}).`);
  if (candidates.length === 1) return { backend: only, reason: 'only', probes: [] };
  const devices = await Promise.all(candidates.map(async (b) => ({ backend: b, ...(await options.describe(b)) })));
  const key = probeKey(devices.map((d) => `${d.backend}:${d.adapter}`).join(','), shape);
  const cached = await options.cache.get(key);
  if (cached) return { ...cached, reason: 'cached' };
  const probes: ProbeFigure[] = [];
  // wasm first: the software rule compares against it.
  const order = [...candidates].sort((a, b) => (a === 'wasm' ? -1 : b === 'wasm' ? 1 : 0));
  for (const backend of order) {
    const device = devices.find((d) => d.backend === backend);
    const software = device?.software ?? false;
    const budget = software ? (options.softwareBudgetMs ?? 1500) : (options.budgetMs ?? 4000);
    const figure = await options.measure(backend, shape, budget);
    probes.push({ ...figure, adapter: figure.adapter || (device?.adapter ?? ''), software: figure.software || software });
  }
  const wasm = probes.find((p) => p.backend === 'wasm')?.samplesPerSecond ?? null;
  let best: ProbeFigure | null = null;
  for (const backend of ranked) {
    const p = probes.find((f) => f.backend === backend);
    if (!p || p.samplesPerSecond === null) continue;
    if (p.software && wasm !== null && !(p.samplesPerSecond > wasm)) continue;
    if (!best || (best.samplesPerSecond ?? 0) < p.samplesPerSecond) best = p;
  }
  const choice: BackendChoice = { backend: best?.backend ?? (ranked.includes('wasm') ? 'wasm' : only), reason: 'measured', probes };
  await options.cache.set(key, choice);
  return choice;
}

/** A one-line account of a choice, e.g. `wasm (measured: wasm 21,000/s, webgpu software 310/s)`, `webgpu (forced)`, `wasm`. */
export function describeChoice(choice: BackendChoice): string {
  if (choice.reason === 'only') return choice.backend;
  if (choice.probes.length === 0) return `${choice.backend} (${choice.reason})`;
  const figures = choice.probes.map((p) => `${p.backend}${p.software ? ' software' : ''} ${p.samplesPerSecond === null ? 'n/a' : `${Math.round(p.samplesPerSecond).toLocaleString('en-US')}/s`}`);
  return `${choice.backend} (${choice.reason}: ${figures.join(', ')})`;
}

/** A choice as JSON for model metadata: what ran, why, the one-line account and each probe's figure (ms rounded). */
export function choiceJson(choice: BackendChoice): JsonObject {
  return {
    backend: choice.backend,
    reason: choice.reason,
    summary: describeChoice(choice),
    probes: choice.probes.map((p) => ({ backend: p.backend, engine: p.engine, samplesPerSecond: p.samplesPerSecond, batches: p.batches, ms: Math.round(p.ms), adapter: p.adapter, software: p.software, note: p.note })),
  };
}

/** Whether a stored value is a BackendChoice (the IndexedDB cache reads back unknown values). */
export function isBackendChoice(v: unknown): v is BackendChoice {
  if (typeof v !== 'object' || v === null || !('backend' in v) || !('reason' in v) || !('probes' in v)) return false;
  const { backend, reason, probes } = v;
  return typeof backend === 'string' && (reason === 'measured' || reason === 'cached' || reason === 'forced' || reason === 'only') && Array.isArray(probes) && probes.every(isProbeFigure);
}

function isProbeFigure(v: unknown): v is ProbeFigure {
  if (typeof v !== 'object' || v === null) return false;
  const f: Record<string, unknown> = { ...v };
  return typeof f.backend === 'string' && typeof f.engine === 'string' && (f.samplesPerSecond === null || typeof f.samplesPerSecond === 'number') && typeof f.batches === 'number' && typeof f.ms === 'number' && typeof f.adapter === 'string' && typeof f.software === 'boolean' && typeof f.note === 'string';
}
