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
import { createRng, type Rng } from '../../ml/random.ts';
import { ensembleShap, treeOutput, type ShapTree } from '../../ml/tree-shap.ts';
import { report, type BenchOptions } from './report.ts';

/** The bound for the integrated-gradients case. */
const TARGET_SECONDS = 5;

/** The bound for TreeSHAP on 7,043 rows of a 200-tree model. */
const SHAP_TARGET_SECONDS = 2;

/** A tree grown best-first to `leaves` leaves on random thresholds, covers splitting like data. */
function randomTree(rng: Rng, features: number, leaves: number): ShapTree {
  const t = { feature: [-1], threshold: [0], missingLeft: [0], left: [-1], right: [-1], value: [rng.normal() * 0.1], cover: [7043] };
  const open = [0];
  while (open.length > 0 && open.length < leaves) {
    const at = open.splice(rng.int(open.length), 1)[0] ?? 0;
    const share = 0.2 + 0.6 * rng.next();
    const cover = t.cover[at] ?? 0;
    for (const c of [cover * share, cover * (1 - share)]) {
      t.feature.push(-1); t.threshold.push(0); t.missingLeft.push(0); t.left.push(-1); t.right.push(-1); t.value.push(rng.normal() * 0.1); t.cover.push(c);
      open.push(t.feature.length - 1);
    }
    t.feature[at] = rng.int(features);
    t.threshold[at] = rng.normal();
    t.left[at] = t.feature.length - 2;
    t.right[at] = t.feature.length - 1;
  }
  // Typed arrays, as src/ml/gbdt.ts stores its trees.
  return { feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold), missingLeft: Uint8Array.from(t.missingLeft), left: Int32Array.from(t.left), right: Int32Array.from(t.right), value: Float64Array.from(t.value), cover: Float64Array.from(t.cover) };
}

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
  // TreeSHAP: 200 trees of 31 leaves (sklearn's default leaves), 7,043 rows × 20 features (Telco's shape).
  const rng = createRng(11);
  const [rows, width] = [7043, 20];
  const trees = Array.from({ length: 200 }, () => randomTree(rng, width, 31));
  const xs = Float64Array.from({ length: rows * width }, () => rng.normal());
  began = performance.now();
  let checksum = 0;
  for (let i = 0; i < rows; i++) for (const t of trees) checksum += treeOutput(t, xs.subarray(i * width, (i + 1) * width));
  const treePredictSeconds = (performance.now() - began) / 1000;
  began = performance.now();
  const shap = ensembleShap(trees, xs, rows, width);
  const shapSeconds = (performance.now() - began) / 1000;
  const sum = shap.values.reduce((a, b) => a + b, 0) + rows * shap.expected;
  report(
    {
      suite: 'explain',
      case: `TreeSHAP ${rows} x ${width}, 200 trees of 31 leaves`,
      seconds: shapSeconds,
      goalSeconds: SHAP_TARGET_SECONDS,
      meetsGoal: shapSeconds < SHAP_TARGET_SECONDS,
      predictSeconds: treePredictSeconds,
      timesOnePrediction: shapSeconds / treePredictSeconds,
      sumsToOutputs: Math.abs(sum - checksum) < 1e-6 * rows,
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
