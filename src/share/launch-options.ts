/**
 * What the page's address asks for at start: a compute backend (`?backend=wasm`, so a
 * receiver can reproduce the sender's numbers on the deterministic wasm backend) and a
 * shared pipeline in the fragment (`#p=...`).
 */
import { hasShareLink } from './link-codec.ts';

/** The backends a URL may ask for, in the worker's ladder order. */
export const launchBackends = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** One of the backends a URL may ask for. */
export type LaunchBackend = (typeof launchBackends)[number];

/** What the address asks for. */
export interface LaunchOptions {
  /** Ladder to pass to the worker's `init`; null means the default ladder. */
  ladder: LaunchBackend[] | null;
  /** The share fragment (starting with '#p='), or null. */
  share: string | null;
  /** Problems with the query (an unknown backend), to show the user. */
  warnings: string[];
}

function isLaunchBackend(value: string): value is LaunchBackend {
  return (launchBackends as readonly string[]).includes(value);
}

/** Reads `?backend=` and `#p=` from a location (or any object with `search` and `hash`). */
export function readLaunchOptions(location: { search: string; hash: string }): LaunchOptions {
  const query = new URLSearchParams(location.search);
  const warnings: string[] = [];
  let ladder: LaunchBackend[] | null = null;
  const asked = query.get('backend');
  if (asked !== null) {
    const name = asked.trim().toLowerCase();
    // A named backend still falls back to cpu so the page always computes something.
    if (isLaunchBackend(name)) ladder = name === 'cpu' ? ['cpu'] : [name, 'cpu'];
    else warnings.push(`Unknown backend ${JSON.stringify(asked.slice(0, 40))} in the address; expected one of ${launchBackends.join(', ')}. Using the default.`);
  }
  return { ladder, share: hasShareLink(location.hash) ? location.hash : null, warnings };
}
