/** The NodeHost pieces for the browser worker: bundled samples and URL fetches. */
import type { NodeHost, SourceFile } from '../src/engine/node.ts';
import { fail } from '../src/engine/errors.ts';

// Vite turns every committed sample file into a served URL (dev) or a hashed asset (build).
const sampleUrls: Record<string, string> = import.meta.glob('../sample-data/*/*.{csv,json}', { query: '?url', import: 'default', eager: true });

/** Relative sample path (e.g. `customer-insight/transactions.csv`) to its URL. */
function sampleUrl(path: string): string | undefined {
  return sampleUrls[`../sample-data/${path}`];
}

/** The list of bundled sample paths. */
export function samplePaths(): string[] {
  return Object.keys(sampleUrls).map((key) => key.replace('../sample-data/', ''));
}

async function fetchBytes(url: string, name: string, signal?: AbortSignal): Promise<SourceFile> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok) fail('url.status', `Fetching ${JSON.stringify(name)} answered HTTP ${response.status}.`, { values: { url: name, status: response.status } });
  return { name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Fetches an off-site address through the page (its fetch frame); the page rejects origins the person did not allow. */
export type OffsiteFetch = (url: string) => Promise<SourceFile>;

let offsite: OffsiteFetch | null = null;

/** The page's off-site fetch: this worker's own CSP allows only its origin, so other sites go through the page. */
export function useOffsiteFetch(fetcher: OffsiteFetch): void {
  offsite = fetcher;
}

/** Resolves when the promise does, or rejects when the signal aborts. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('Cancelled.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Host functions that do not depend on bound files. */
export const browserHost: Pick<NodeHost, 'sample' | 'fetchUrl'> = {
  async sample(path) {
    const url = sampleUrl(path);
    if (url === undefined) fail('sample.missing', `Bundled sample ${JSON.stringify(path)} does not exist; samples: ${samplePaths().join(', ')}.`, { values: { sample: path } });
    return fetchBytes(new URL(url, self.location.href).href, path.split('/').pop() ?? path);
  },
  async fetchUrl(url, signal) {
    let parsed: URL;
    try {
      parsed = new URL(url, self.location.href);
    } catch {
      return fail('url.invalid', `${JSON.stringify(url)} is not a valid URL.`, { values: { url } });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') fail('url.protocol', `Only http(s) URLs can be loaded, got ${JSON.stringify(url.slice(0, 120))}.`, { values: { url: url.slice(0, 120) } });
    if (parsed.origin === self.location.origin) return fetchBytes(parsed.href, parsed.pathname.split('/').pop() || 'download', signal);
    if (!offsite) return fail('url.offsite', `Fetching ${JSON.stringify(parsed.href.slice(0, 120))} needs the studio page, which fetches from other sites for this worker.`, { values: { url: parsed.href.slice(0, 120) } });
    return abortable(offsite(parsed.href), signal);
  },
};
