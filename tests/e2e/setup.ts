/** Vitest global setup for the browser suite: serve dist/ under a sub-path. */
import type { TestProject } from 'vitest/node';
import { existsSync } from 'node:fs';
import { serveStatic, type StaticServer } from './static-server.ts';

let server: StaticServer | undefined;

/** Starts the static server and hands its URL to the tests. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` before the browser tests.');
  server = await serveStatic('dist', '/some/sub/path/');
  project.provide('studioUrl', server.url);
}

/** Stops the server. */
export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    studioUrl: string;
  }
}
