/** Messages between the page and its off-site fetch frame (fetcher.html). */

/** The page asks the frame to fetch one address. */
export interface FetchRequest {
  /** Always 'fetch'. */
  type: 'fetch';
  /** Matches the reply to the request. */
  id: number;
  /** The absolute http(s) address. */
  url: string;
}

/** The frame's answer: ready (id 0, once), the bytes, or why not. */
export type FetchReply = { type: 'ready'; id: 0 } | { type: 'done'; id: number; bytes: ArrayBuffer } | { type: 'failed'; id: number; reason: string };

/** Is this message a fetch request? */
export function isFetchRequest(data: unknown): data is FetchRequest {
  return typeof data === 'object' && data !== null && 'type' in data && data.type === 'fetch' && 'id' in data && typeof data.id === 'number' && 'url' in data && typeof data.url === 'string';
}

/** Is this message a reply from the frame? */
export function isFetchReply(data: unknown): data is FetchReply {
  if (typeof data !== 'object' || data === null || !('type' in data) || !('id' in data) || typeof data.id !== 'number') return false;
  if (data.type === 'ready') return true;
  if (data.type === 'done') return 'bytes' in data && data.bytes instanceof ArrayBuffer;
  return data.type === 'failed' && 'reason' in data && typeof data.reason === 'string';
}
