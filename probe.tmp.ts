import { readFileSync } from 'node:fs';
import { coverage } from './tests/cli/auto-coverage.ts';
for (const f of process.argv.slice(2)) {
  const out = `/tmp/a3/out/${f.split('/').pop()}`;
  console.log(f, await coverage(f, out, readFileSync(`${out}/stderr.txt`, 'utf8')));
}
