/**
 * Entry of the Chromium bench page (bundled by lstm-browser.ts): measures every backend named
 * in the query string (?backends=webgpu,webgl,wasm&plan=<json>) and leaves the records on
 * window.__lstmBench for the driver.
 */
import { measureLstmBackend, type BrowserBenchState, type LstmBenchPlan } from './lstm-measure.ts';

async function main(): Promise<void> {
  const state: BrowserBenchState = { done: false, records: [], errors: [], log: [] };
  window.__lstmBench = state;
  const params = new URLSearchParams(location.search);
  const plans: LstmBenchPlan[] = JSON.parse(params.get('plans') ?? '[]');
  const { selectBackend } = await import('../../ml/tf-backend.ts');
  // The wasm binaries are served next to the page; tfjs must know before the backend starts.
  await selectBackend(['cpu'], { wasmPaths: `${location.origin}/wasm/` });
  for (const plan of plans) {
    try {
      state.records.push(await measureLstmBackend(plan, (line) => state.log.push(line)));
    } catch (err) {
      state.errors.push({ backend: plan.backend, message: err instanceof Error ? err.message : String(err) });
    }
  }
  state.done = true;
}

main().catch((err: unknown) => {
  const state = window.__lstmBench ?? { done: false, records: [], errors: [], log: [] };
  state.errors.push({ backend: '(page)', message: err instanceof Error ? err.message : String(err) });
  state.done = true;
  window.__lstmBench = state;
});
