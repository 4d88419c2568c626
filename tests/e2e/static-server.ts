/**
 * A tiny static file server for the built studio (dist/), mounted under a sub-path so the
 * tests prove the build works from any sub-path of a plain static host. It sends the
 * headers a careful static host would: the rules the build wrote to dist/_headers.json (the
 * same as dist/_headers), applied by path relative to the mount.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { headersForPath, type HeaderRule } from '../../src/studio/security-policy.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running server and its base URL (ending in '/'). */
export interface StaticServer {
  /** Base URL of the mounted folder, e.g. http://localhost:4321/some/sub/path/ */
  url: string;
  /** Requests seen so far (method and path), for privacy assertions. */
  requests: { method: string; path: string; bytes: number }[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves `root` under `mount` on a free localhost port. */
export async function serveStatic(root: string, mount = '/studio/'): Promise<StaticServer> {
  const base = resolve(root);
  const requests: StaticServer['requests'] = [];
  const headerFile = join(base, '_headers.json');
  const rules: HeaderRule[] = existsSync(headerFile) ? (JSON.parse(readFileSync(headerFile, 'utf8')) as HeaderRule[]) : [];
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, bytes });
      if (!url.pathname.startsWith(mount)) {
        res.writeHead(404).end('not found');
        return;
      }
      let rel = decodeURIComponent(url.pathname.slice(mount.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = normalize(join(base, rel));
      if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', ...headersForPath(`/${rel}`, rules) });
      res.end(readFileSync(file));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://localhost:${port}${mount}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
