/**
 * `npm run bench -- [suite...] [--json]`: runs the named benchmark suites (all when none is
 * named). Each suite lives in src/cli/bench/<suite>.ts and exports `run(options)`.
 */
import type { BenchOptions } from './bench/report.ts';

type Suite = (options: BenchOptions) => Promise<void>;

/** Registry of suites; each is loaded lazily so one suite's imports never slow another. */
const suites: Record<string, () => Promise<{ run: Suite }>> = {};

/** Adds a suite to the registry (called by the suite index below). */
export function registerSuite(name: string, load: () => Promise<{ run: Suite }>): void {
  suites[name] = load;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const { registerAll } = await import('./bench/index.ts');
  registerAll(registerSuite);
  const names = rest.filter((a) => !a.startsWith('--') && a in suites);
  const unknown = rest.filter((a) => !a.startsWith('--') && !(a in suites) && !rest.includes(`--${a}`));
  if (unknown.length > 0 && names.length === 0) {
    process.stderr.write(`Unknown bench suite "${unknown[0]}". Known: ${Object.keys(suites).join(', ')}\n`);
    return 2;
  }
  const chosen = names.length > 0 ? names : Object.keys(suites);
  for (const name of chosen) {
    const load = suites[name];
    if (!load) continue;
    const mod = await load();
    await mod.run({ json, argv: rest.filter((a) => a !== name) });
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
