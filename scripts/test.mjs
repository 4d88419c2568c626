#!/usr/bin/env node
// `npm test`: typecheck, unit tests, build, then the browser suite in real Chromium.
// Stops at the first failing step and exits non-zero. If Chromium is missing it installs
// Debian's package when running as root with apt, and otherwise says how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function step(name, command, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`\n=== ${name} FAILED after ${seconds} s (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status || 1);
  }
  process.stdout.write(`=== ${name} passed in ${seconds} s\n`);
}

function ensureChromium() {
  if (existsSync(chromium)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    process.stdout.write(`Chromium is missing at ${chromium}; installing Debian's chromium package...\n`);
    step('install chromium', 'sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium']);
    if (existsSync(chromium)) return;
  }
  process.stderr.write(
    `The browser tests need Chromium at ${chromium}.\n` +
      `Install it with: sudo apt-get install -y chromium   (Debian/Ubuntu)\n` +
      `or point CHROMIUM_PATH at a Chromium binary.\n`,
  );
  process.exit(1);
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
ensureChromium();
step('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json']);
step('svelte-check', npx, ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']);
step('unit tests', npx, ['vitest', 'run']);
// The test build also holds the test-only page projects-harness.html.
step('build', npx, ['vite', 'build', '--logLevel', 'warn'], { INSIGHT_TEST_PAGES: '1' });
step('browser tests', npx, ['vitest', 'run', '--config', 'vitest.e2e.config.ts']);
process.stdout.write('\nAll test steps passed.\n');
