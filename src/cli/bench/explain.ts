/**
 * `npm run bench -- explain`: integrated gradients for 1,000 customers × 22 periods × 8
 * features at 32 steps on the wasm backend (goal: under 5 s in Node), beside one prediction
 * pass over the same customers (the fast path's predictLstm) in the same run, with the worst
 * completeness gap. The model is the studio's default shape (16 units, one layer) trained
 * briefly on the synthetic sequences, so the gradients are those of a real fit.
 */
import { integratedGradients, meanSequence } from '../../ml/lstm/attribution.ts';
import { predictLstm } from '../../ml/lstm/predict.ts';
import { syntheticSequences } from '../../ml/lstm/synthetic.ts';
import { trainLstm } from '../../ml/lstm/train.ts';
import { selectBackend } from '../../ml/tf-backend.ts';
import { report, type BenchOptions } from './report.ts';

/** The bound for the integrated-gradients case. */
const TARGET_SECONDS = 5;

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const backend = await selectBackend(['wasm']);
  const [n, T, D, steps] = [1000, 22, 8, 32];
  const data = syntheticSequences({ n, steps: T, features: D }, 7);
  const model = await trainLstm(data, null, { units: 16, layers: 1, dropout: 0, epochs: 3, batchSize: 64, learningRate: 0.01, patience: 0, classWeight: 'none', seed: 1, implementation: 'fast' });
  const baseline = meanSequence(data.x, n, T, D);
  // Warm both paths once so neither pays first-call compilation in the timed run.
  await predictLstm(model.weights, data.x, n, T, D);
  await integratedGradients(model.weights, data.x.subarray(0, 8 * T * D), 8, T, D, { steps, baseline });
  let began = performance.now();
  await predictLstm(model.weights, data.x, n, T, D);
  const predictSeconds = (performance.now() - began) / 1000;
  began = performance.now();
  const ig = await integratedGradients(model.weights, data.x, n, T, D, { steps, baseline });
  const igSeconds = (performance.now() - began) / 1000;
  let worst = 0;
  ig.gap.forEach((g, i) => {
    const delta = Math.abs((ig.scores[i] ?? 0) - ig.baselineScore);
    if (delta > 1e-6) worst = Math.max(worst, g / delta);
  });
  report(
    {
      suite: 'explain',
      case: `integrated gradients ${n} x ${T} x ${D}, ${steps} steps, 16 units`,
      backend: backend.backend,
      seconds: igSeconds,
      goalSeconds: TARGET_SECONDS,
      meetsGoal: igSeconds < TARGET_SECONDS,
      predictSeconds,
      timesOnePrediction: igSeconds / predictSeconds,
      worstCompletenessGap: worst,
    },
    options.json,
  );
  // How many quadrature points completeness needs: the worst gap at fewer points, on 200 customers.
  for (const points of [2, 4, 8, 16]) {
    const few = await integratedGradients(model.weights, data.x.subarray(0, 200 * T * D), 200, T, D, { steps: points, baseline });
    let gapWorst = 0;
    few.gap.forEach((g, i) => {
      const delta = Math.abs((few.scores[i] ?? 0) - few.baselineScore);
      if (delta > 1e-6) gapWorst = Math.max(gapWorst, g / delta);
    });
    report({ suite: 'explain', case: `completeness at ${points} points, 200 customers`, worstCompletenessGap: gapWorst, withinOnePercent: gapWorst <= 0.01 }, options.json);
  }
}
