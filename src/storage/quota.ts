/**
 * Storage use and persistence: what `navigator.storage` reports, in a form the meter shows,
 * and the request that keeps the browser from evicting the user's projects.
 */
import { formatBytes } from '../share/bounded-inflate.ts';

/** Storage use as the meter shows it. */
export interface StorageUse {
  /** Bytes used by this origin (null when the browser does not say). */
  usage: number | null;
  /** Bytes this origin may use (null when unknown). */
  quota: number | null;
  /** usage / quota in [0, 1], or null. */
  fraction: number | null;
  /** Whether storage is persistent (not evicted under pressure); null when unknown. */
  persisted: boolean | null;
  /** One line, e.g. "1.2 MB of 2.0 GB used (0.1%) · kept". */
  text: string;
}

/** The subset of `navigator.storage` used here (so tests can pass a fake). */
export interface StorageManagerLike {
  /** Usage and quota. */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  /** Whether storage is persistent. */
  persisted?: () => Promise<boolean>;
  /** Asks for persistent storage. */
  persist?: () => Promise<boolean>;
}

function defaultManager(): StorageManagerLike | undefined {
  return typeof navigator !== 'undefined' ? navigator.storage : undefined;
}

/** Reads usage, quota and persistence. */
export async function storageUse(manager: StorageManagerLike | undefined = defaultManager()): Promise<StorageUse> {
  // Either call may reject (storage blocked, a closing page): the meter then says it does not know.
  const estimate = manager?.estimate ? await manager.estimate().catch((): { usage?: number; quota?: number } => ({})) : {};
  const persisted = manager?.persisted ? await manager.persisted().catch((): boolean | null => null) : null;
  const usage = estimate.usage ?? null;
  const quota = estimate.quota ?? null;
  const fraction = usage !== null && quota !== null && quota > 0 ? Math.min(1, usage / quota) : null;
  const amount = usage === null ? 'Storage use unknown' : quota === null ? `${formatBytes(usage)} used` : `${formatBytes(usage)} of ${formatBytes(quota)} used (${((fraction ?? 0) * 100).toFixed(1)}%)`;
  const kept = persisted === null ? '' : persisted ? ' · kept by the browser' : ' · may be cleared by the browser under pressure';
  return { usage, quota, fraction, persisted, text: `${amount}${kept}` };
}

/** Asks the browser to keep this origin's storage; returns whether it now is persistent. */
export async function requestPersistence(manager: StorageManagerLike | undefined = defaultManager()): Promise<boolean> {
  if (!manager?.persist) return false;
  try {
    return await manager.persist();
  } catch {
    return false;
  }
}
