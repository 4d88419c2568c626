/**
 * Entry of fetcher.html, the off-site fetch frame: narrows its own CSP to the origins the
 * person allowed (read from the address's fragment, which no server sees), then fetches the
 * addresses its parent page asks for and hands back the bytes. Nothing else runs here.
 */
import { consentPolicy, httpOrigin } from './security-policy.ts';
import { isFetchRequest, type FetchReply } from './offsite-protocol.ts';

const allowed = new Set(
  new URLSearchParams(location.hash.slice(1))
    .getAll('allow')
    .map(httpOrigin)
    .filter((o): o is string => o !== null),
);
// Before anything can be fetched: a second policy only ever tightens the first.
const meta = document.createElement('meta');
meta.httpEquiv = 'Content-Security-Policy';
meta.content = consentPolicy([...allowed]);
document.head.append(meta);

function reply(message: FetchReply, transfer: Transferable[] = []): void {
  window.parent.postMessage(message, location.origin, transfer);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.origin !== location.origin || event.source !== window.parent || !isFetchRequest(event.data)) return;
  const { id, url } = event.data;
  const origin = httpOrigin(url);
  if (origin === null || !allowed.has(origin)) {
    reply({ type: 'failed', id, reason: `${origin ?? 'this address'} was not allowed` });
    return;
  }
  // A redirect to an origin not allowed is stopped by the policy above.
  fetch(url, { credentials: 'omit' })
    .then(async (response) => {
      if (!response.ok) return reply({ type: 'failed', id, reason: `the site answered HTTP ${response.status}` });
      const bytes = await response.arrayBuffer();
      reply({ type: 'done', id, bytes }, [bytes]);
    })
    .catch((err: unknown) => reply({ type: 'failed', id, reason: err instanceof Error ? err.message : String(err) }));
});
reply({ type: 'ready', id: 0 });
