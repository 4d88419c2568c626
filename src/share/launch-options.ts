/**
 * What the page's address asks for at start: a compute backend (`?backend=wasm`, so a
 * receiver can reproduce the sender's numbers on the deterministic wasm backend) and a
 * shared pipeline in the fragment (`#p=...`).
 */
import { BACKEND_LADDER, forcedLadder, isBackendName, type BackendName } from '../ml/backend-ladder.ts';
import { hasShareLink } from './link-codec.ts';

/** What the address asks for. */
export interface LaunchOptions {
  /** Ladder to pass to the worker's `init`; null means the default ladder. */
  ladder: BackendName[] | null;
  /** The share fragment (starting with '#p='), or null. */
  share: string | null;
  /** Problems with the query (an unknown backend), to show the user. */
  warnings: string[];
}

/** The key of the backend setting in localStorage ('auto' or absent: the measured choice). */
export const backendSettingKey = 'insight.backend';

/**
 * Reads `?backend=` and `#p=` from a location (or any object with `search` and `hash`); without
 * `?backend=`, a stored backend setting (a backend name, or 'auto') forces the ladder the same way.
 */
export function readLaunchOptions(location: { search: string; hash: string }, setting: string | null = null): LaunchOptions {
  const query = new URLSearchParams(location.search);
  const warnings: string[] = [];
  let ladder: BackendName[] | null = null;
  const asked = query.get('backend');
  if (asked !== null) {
    const name = asked.trim().toLowerCase();
    if (isBackendName(name)) ladder = forcedLadder(name);
    else warnings.push(`Unknown backend ${JSON.stringify(asked.slice(0, 40))} in the address; expected one of ${BACKEND_LADDER.join(', ')}. Using the default.`);
  } else if (setting !== null && isBackendName(setting)) ladder = forcedLadder(setting);
  return { ladder, share: hasShareLink(location.hash) ? location.hash : null, warnings };
}
