/**
 * `npm run bench -- explain`: integrated gradients for 1,000 customers × 22 periods × 8
 * features at 32 steps on the wasm backend (goal: under 5 s in Node), beside one prediction
 * pass over the same customers (the fast path's predictLstm) in the same run, with the worst
 * completeness gap. The model is the studio's default shape (16 units, one layer) trained
 * briefly on the synthetic sequences, so the gradients are those of a real fit. TreeSHAP for
 * 7,043 rows of a 200-tree model (goal: under 2 s): a GBDT trained on Telco (or a generated table
 * of its shape without ../shared), and 200 random trees on continuous data as the worst case,
 * each beside one prediction pass over the same rows, with CPU time.
 */
import { integratedGradients, meanSequence } from '../../ml/lstm/attribution.ts';
import { predictLstm } from '../../ml/lstm/predict.ts';
import { syntheticSequences } from '../../ml/lstm/synthetic.ts';
import { trainLstm } from '../../ml/lstm/train.ts';
import { selectBackend } from '../../ml/tf-backend.ts';
import { createRng, type Rng } from '../../ml/random.ts';
import { ensembleShap, treeOutput, type ShapTree } from '../../ml/tree-shap.ts';
import { existsSync, readFileSync } from 'node:fs';
import { columnValues } from '../../data/columns.ts';
import { readTable } from '../../data/read.ts';
import { fitGbdt } from '../../ml/gbdt.ts';
import { encodeForTrees, fitTabularEncoding, type TabularInput } from '../../ml/tabular.ts';
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

/** One TreeSHAP row: seconds beside one prediction pass over the same rows and trees, CPU time too. */
function shapCase(name: string, trees: readonly ShapTree[], xs: Float64Array, rows: number, width: number, options: BenchOptions): void {
  let began = performance.now();
  let checksum = 0;
  for (let i = 0; i < rows; i++) for (const t of trees) checksum += treeOutput(t, xs.subarray(i * width, (i + 1) * width));
  const predictSeconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage();
  began = performance.now();
  const shap = ensembleShap(trees, xs, rows, width);
  const seconds = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  const sum = shap.values.reduce((a, b) => a + b, 0) + rows * shap.expected;
  report(
    {
      suite: 'explain',
      case: name,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      goalSeconds: SHAP_TARGET_SECONDS,
      meetsGoal: seconds < SHAP_TARGET_SECONDS,
      predictSeconds,
      timesOnePrediction: seconds / predictSeconds,
      sumsToOutputs: Math.abs(sum - checksum) < 1e-6 * rows,
    },
    options.json,
  );
}

/** Telco's path in ../shared, read when present. */
const TELCO = '../shared/data/telco-churn/Telco-Customer-Churn.csv';

/** A 200-tree GBDT as TreeSHAP sees it, with the rows it explains (row-major). */
async function trainedTrees(): Promise<{ trees: ShapTree[]; x: Float64Array; rows: number; width: number; source: string }> {
  let inputs: TabularInput[];
  let y: Float64Array;
  let source: string;
  if (existsSync(TELCO)) {
    const t = (await readTable({ name: 'telco.csv', bytes: new Uint8Array(readFileSync(TELCO)) })).table;
    y = Float64Array.from(columnValues(t, 'Churn'), (v) => (v === 'Yes' ? 1 : 0));
    inputs = t.columnNames().filter((c) => c !== 'customerID' && c !== 'Churn').map((name) => ({ name, values: columnValues(t, name) }));
    source = 'Telco churn';
  } else {
    // Telco's shape: 7,043 rows, 3 numeric and 16 categorical columns, churn driven by a few.
    const rng = createRng(5);
    const n = 7043;
    const levels = (k: number): string[] => Array.from({ length: n }, () => `level ${rng.int(k)}`);
    const tenure = Array.from({ length: n }, () => rng.int(73));
    const charges = Array.from({ length: n }, () => 18 + 100 * rng.next());
    const cats = Array.from({ length: 16 }, (_, j) => ({ name: `category ${j + 1}`, values: levels(2 + (j % 3)) }));
    y = Float64Array.from({ length: n }, (_, i) => (1.2 * (cats[0]?.values[i] === 'level 0' ? 1 : -1) - (tenure[i] ?? 0) / 24 + ((charges[i] ?? 0) - 60) / 60 + rng.normal() > 0 ? 1 : 0));
    inputs = [{ name: 'tenure', values: tenure }, { name: 'charges', values: charges }, { name: 'total', values: tenure.map((t, i) => t * (charges[i] ?? 0)) }, ...cats];
    source = 'a generated table of Telco\'s shape (../shared absent)';
  }
  const { encoding } = fitTabularEncoding(inputs);
  const columns = encodeForTrees(encoding, inputs, y.length).columns;
  const model = fitGbdt(columns, y, { maxIter: 200, learningRate: 0.1, maxLeafNodes: 31, minSamplesLeaf: 20, earlyStopping: false, seed: 1 });
  const [rows, width] = [y.length, columns.length];
  const x = new Float64Array(rows * width);
  columns.forEach((col, d) => col.forEach((v, i) => (x[i * width + d] = v)));
  const trees = model.trees.map((t) => ({ feature: t.feature, threshold: t.threshold, missingLeft: t.missingLeft, left: t.left, right: t.right, value: t.value, cover: t.count }));
  return { trees, x, rows, width, source };
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
  // TreeSHAP: a 200-tree GBDT trained on Telco (7,043 × 19 encoded), or on a generated table of
  // Telco's shape when ../shared is absent; then 200 random trees on continuous data, whose rows
  // rarely repeat a split decision (the cache's worst case).
  const trained = await trainedTrees();
  shapCase(`TreeSHAP ${trained.rows} x ${trained.width}, 200-tree GBDT (31 leaves) trained on ${trained.source}`, trained.trees, trained.x, trained.rows, trained.width, options);
  const rng = createRng(11);
  const [rows, width] = [7043, 20];
  const trees = Array.from({ length: 200 }, () => randomTree(rng, width, 31));
  shapCase(`TreeSHAP ${rows} x ${width}, 200 random trees of 31 leaves on continuous data (worst case for the decision cache)`, trees, Float64Array.from({ length: rows * width }, () => rng.normal()), rows, width, options);
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
