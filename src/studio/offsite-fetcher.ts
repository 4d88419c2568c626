/**
 * The page's side of off-site fetches: holds the origins the person allowed in this tab and
 * one hidden fetch frame (fetcher.html) whose CSP connect-src is exactly those origins. A new
 * consent replaces the frame, since a frame's policy can be narrowed but never widened.
 */
import { httpOrigin } from './security-policy.ts';
import { isFetchReply, type FetchRequest } from './offsite-protocol.ts';

/** A fetched file. */
export interface FetchedFile {
  /** The last path segment of the address. */
  name: string;
  /** The body. */
  bytes: Uint8Array;
}

/** Fetches from allowed origins through a hidden frame whose CSP allows only them. */
export class OffsiteFetcher {
  private readonly origins = new Set<string>();
  private frame: { element: HTMLIFrameElement; ready: Promise<void> } | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(bytes: ArrayBuffer): void; reject(error: Error): void }>();

  constructor() {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (event.origin !== location.origin || event.source !== this.frame?.element.contentWindow || !isFetchReply(event.data)) return;
      const reply = event.data;
      if (reply.type === 'ready') return;
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.type === 'done') waiter?.resolve(reply.bytes);
      else waiter?.reject(new Error(reply.reason));
    });
  }

  /** Adds origins the person allowed; the frame is rebuilt with the wider list. */
  allow(origins: readonly string[]): void {
    const before = this.origins.size;
    for (const o of origins) {
      const origin = httpOrigin(o);
      if (origin !== null && origin !== location.origin) this.origins.add(origin);
    }
    if (this.origins.size !== before) this.dropFrame('the allowed sites changed; run again');
  }

  /** The origins allowed so far. */
  allowed(): string[] {
    return [...this.origins];
  }

  /** Fetches an address on an allowed origin; rejects with the reason otherwise. */
  async fetch(url: string): Promise<FetchedFile> {
    const origin = httpOrigin(url);
    if (origin === null || !this.origins.has(origin)) throw new Error(`${origin ?? url.slice(0, 120)} is not among the sites you allowed`);
    const frame = this.ensureFrame();
    await frame.ready;
    const id = this.nextId++;
    const bytes = await new Promise<ArrayBuffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: FetchRequest = { type: 'fetch', id, url };
      frame.element.contentWindow?.postMessage(request, location.origin);
    });
    return { name: new URL(url).pathname.split('/').pop() || 'download', bytes: new Uint8Array(bytes) };
  }

  private ensureFrame(): { element: HTMLIFrameElement; ready: Promise<void> } {
    if (this.frame) return this.frame;
    const element = document.createElement('iframe');
    element.hidden = true;
    element.title = 'Off-site fetch';
    const params = new URLSearchParams();
    for (const o of this.origins) params.append('allow', o);
    // The fragment carries the list; no server sees it.
    element.src = new URL(`fetcher.html#${params}`, document.baseURI).href;
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (event: MessageEvent<unknown>) => {
        if (event.source !== element.contentWindow || !isFetchReply(event.data) || event.data.type !== 'ready') return;
        window.removeEventListener('message', onMessage);
        resolve();
      };
      window.addEventListener('message', onMessage);
      setTimeout(() => reject(new Error('the fetch frame (fetcher.html) did not start within 20 s')), 20_000);
    });
    document.body.append(element);
    this.frame = { element, ready };
    return this.frame;
  }

  private dropFrame(reason: string): void {
    this.frame?.element.remove();
    this.frame = null;
    for (const waiter of this.waiting.values()) waiter.reject(new Error(reason));
    this.waiting.clear();
  }
}
