/**
 * The compute backend ladder, in one place: which TensorFlow.js backends exist, their order
 * best-first, what a failing backend hands over to, and what a forced choice (a setting, the
 * `?backend=` address, the CLI's --backend) means. Pure: no tfjs import, so the page can read
 * it without loading TensorFlow.js; src/ml/tf-backend.ts activates backends along it.
 */

/** Every backend the studio knows, best first in rank (the measured choice may reorder it). */
export const BACKEND_LADDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** One of the studio's backends. */
export type BackendName = (typeof BACKEND_LADDER)[number];

/** Whether a string names one of the studio's backends. */
export function isBackendName(value: string): value is BackendName {
  return BACKEND_LADDER.some((b) => b === value);
}

/** Whether this code runs under Node.js (CLI, tests) rather than a browser or worker. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

/** The ladder used when none is given: every backend in the browser, wasm → cpu in Node (no GPU backends there). */
export function defaultLadder(): string[] {
  return isNode() ? ['wasm', 'cpu'] : [...BACKEND_LADDER];
}

/** The backends a failing `backend` hands over to, in order (those after it on the ladder; none for an unknown name). */
export function ladderAfter(backend: string, ladder: readonly string[] = BACKEND_LADDER): string[] {
  const at = ladder.indexOf(backend);
  return at >= 0 ? ladder.slice(at + 1) : [];
}

/** The ladder for a forced backend: that one, then cpu so something always computes. */
export function forcedLadder(backend: BackendName): BackendName[] {
  return backend === 'cpu' ? ['cpu'] : [backend, 'cpu'];
}
