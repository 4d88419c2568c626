/** Vitest global setup for the browser suite: serve dist/ under a sub-path. */
import type { TestProject } from 'vitest/node';
import { existsSync } from 'node:fs';
import { serveStatic, type StaticServer } from './static-server.ts';

let server: StaticServer | undefined;

/** Starts the static server and hands its URL to the tests. */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync('dist/index.html') || !existsSync('dist/projects-harness.html')) {
    throw new Error('dist/ is missing or lacks the test pages: run `INSIGHT_TEST_PAGES=1 npx vite build` (npm test does) before the browser tests.');
  }
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
