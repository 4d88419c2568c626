#!/usr/bin/env node
// The `insight` command. The CLI is TypeScript (shared with the studio), loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/insight.ts');
process.exitCode = await main(process.argv.slice(2));
