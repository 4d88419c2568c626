/** The list of benchmark suites. Add a line here when adding src/cli/bench/<suite>.ts. */
import type { BenchOptions } from './report.ts';

type Register = (name: string, load: () => Promise<{ run: (options: BenchOptions) => Promise<void> }>) => void;

/** Registers every suite with the bench dispatcher. */
export function registerAll(register: Register): void {
  register('recommend', () => import('./recommend.ts'));
  register('segment', () => import('./segment.ts'));
  register('generate', () => import('./generate.ts'));
  register('lstm', () => import('./lstm.ts'));
  register('data', () => import('./data.ts'));
  register('classify', () => import('./classify.ts'));
  register('rules', () => import('./rules.ts'));
  register('clv', () => import('./clv.ts'));
  register('explain', () => import('./explain.ts'));
  register('auto', () => import('./auto.ts'));
  register('scale', () => import('./scale.ts'));
  register('features-sql', () => import('./features-sql.ts'));
}
