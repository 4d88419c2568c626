/**
 * `npm run bench -- classify [--big N] [--repeats R] [--no-cancel-big]`: the classify kernels beside scikit-learn
 * in the same run, same data, same settings.
 * - Gradient-boosted trees vs HistGradientBoostingClassifier (OMP_NUM_THREADS=1): 100 trees,
 *   learning rate 0.1, 31 leaves, min_samples_leaf 20, 255 bins, no L2, early stopping off (so
 *   both grow the same number of trees). Telco churn (7,043 × 19 encoded by src/ml/tabular.ts,
 *   categories as integer codes; both get the same matrix): fit seconds on all rows (median of
 *   R), and 5-fold out-of-fold AUC with the same folds. A generated 1,000,000 × 20 table (mixed
 *   signal, 5% missing in one column): fit on 80%, AUC on the other 20%.
 * - L2 logistic regression vs LogisticRegression(C = 1/λ) after StandardScaler on Telco's one-hot
 *   matrix: max |coefficient difference| and intercept difference against newton-cg at tol 1e-12
 *   (the optimum), fit seconds against sklearn's default lbfgs (tol 1e-4) — what a user runs.
 * - Cancel latency of the classify node (src/cli/bench/classify-cancel.ts): a timer "clicks"
 *   Cancel at set moments; ms from the click to the run's end, and the longest step between two
 *   progress reports (goal: 200 ms). `--no-cancel-big` skips the generated table's case.
 * Ratios are ours / sklearn (goal ≤ 1.5 for the trees). sklearn is skipped with a note when
 * neither `python3` nor /usr/bin/python3 imports it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { columnValues } from '../../data/columns.ts';
import { readTable } from '../../data/read.ts';
import { stratifiedKFold } from '../../ml/cross-validate.ts';
import { fitGbdt, predictGbdt, type GbdtOptions } from '../../ml/gbdt.ts';
import { fitLogistic } from '../../ml/logistic.ts';
import { rocAuc } from '../../ml/metrics.ts';
import { createRng } from '../../ml/random.ts';
import { encodeForLinear, encodeForTrees, fitTabularEncoding } from '../../ml/tabular.ts';
import { measureCancel } from './classify-cancel.ts';
import { report, type BenchOptions } from './report.ts';

const TELCO = '../shared/data/telco-churn/Telco-Customer-Churn.csv';
const GBDT: GbdtOptions = { maxIter: 100, learningRate: 0.1, maxLeafNodes: 31, minSamplesLeaf: 20, l2Regularization: 0, maxBins: 255, earlyStopping: false, seed: 1 };

const SKLEARN_SCRIPT = `
import json, sys, time, os
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score
d = sys.argv[1]; job = json.loads(sys.argv[2])
def load(name, n, k): return np.fromfile(os.path.join(d, name), dtype="<f8").reshape(n, k)
out = {}
for case in job["trees"]:
    X = load(case["x"], case["n"], case["d"]); y = np.fromfile(os.path.join(d, case["y"]), dtype="<f8")
    folds = np.fromfile(os.path.join(d, case["folds"]), dtype="<i4")
    mk = lambda: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0, max_bins=255, early_stopping=False, random_state=1)
    res = {}
    if case["oof"]:
        p = np.zeros(len(y))
        for f in np.unique(folds):
            m = mk().fit(X[folds != f], y[folds != f]); p[folds == f] = m.predict_proba(X[folds == f])[:, 1]
        res["auc"] = float(roc_auc_score(y, p))
        times = []
        for _ in range(case["repeats"]):
            t = time.perf_counter(); mk().fit(X, y); times.append(time.perf_counter() - t)
        res["seconds"] = float(np.median(times))
    else:
        t = time.perf_counter(); m = mk().fit(X[folds != 0], y[folds != 0]); res["seconds"] = time.perf_counter() - t
        res["auc"] = float(roc_auc_score(y[folds == 0], m.predict_proba(X[folds == 0])[:, 1]))
    out[case["name"]] = res
lg = job["logistic"]
if lg:
    X = load(lg["x"], lg["n"], lg["d"]); y = np.fromfile(os.path.join(d, lg["y"]), dtype="<f8")
    Z = StandardScaler().fit_transform(X)
    m = LogisticRegression(C=lg["C"], solver="newton-cg", tol=1e-12, max_iter=10000).fit(Z, y)
    times = []; cpus = []
    for _ in range(lg["repeats"]):
        t = time.perf_counter(); c = time.process_time(); StandardScaler().fit_transform(X); LogisticRegression(C=lg["C"]).fit(Z, y); times.append(time.perf_counter() - t); cpus.append(time.process_time() - c)
    out["logistic"] = {"seconds": float(np.median(times)), "cpuSeconds": float(np.median(cpus)), "coef": m.coef_[0].tolist(), "intercept": float(m.intercept_[0])}
print(json.dumps(out))
`;

function findPython(): { python: string; version: string } | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return null;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function rowMajor(columns: Float64Array[], n: number): Float64Array {
  const d = columns.length;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const c = columns[j]!;
    for (let i = 0; i < n; i++) out[i * d + j] = c[i]!;
  }
  return out;
}

function save(dir: string, name: string, values: Float64Array | Int32Array): string {
  writeFileSync(join(dir, name), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  return name;
}

/** A generated customer table: 20 columns (normal, uniform, integer-coded), label from a mixed model. */
export function generatedTable(n: number, seed: number): { columns: Float64Array[]; y: Float64Array } {
  const rng = createRng(seed);
  const columns = Array.from({ length: 20 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 20; j++) columns[j]![i] = j % 5 === 4 ? Math.floor(rng.next() * 12) : j % 5 === 3 ? rng.next() * 100 : rng.normal();
    const c = (j: number): number => columns[j]![i]!;
    const t = 0.8 * c(0) + 0.6 * c(1) * c(2) - 0.02 * Math.abs(c(3) - 50) + (c(4) % 3 === 0 ? 0.7 : 0) + 0.4 * Math.sin(c(5)) + 0.3 * c(6) - 0.3 * c(10) + rng.normal();
    y[i] = t > 0.2 ? 1 : 0;
    if (rng.next() < 0.05) columns[6]![i] = Number.NaN;
  }
  return { columns, y };
}

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const { json, argv } = options;
  const bigAt = argv.indexOf('--big');
  const bigN = bigAt >= 0 ? Math.max(1000, Number(argv[bigAt + 1]) || 1_000_000) : 1_000_000;
  const repAt = argv.indexOf('--repeats');
  const repeats = repAt >= 0 ? Math.max(1, Number(argv[repAt + 1]) || 3) : 3;
  const py = findPython();
  const note = py === null ? 'sklearn unavailable (neither python3 nor /usr/bin/python3 imports it): peer skipped' : `sklearn ${py.version}, OMP_NUM_THREADS=1`;

  // Telco, encoded once on all rows for both sides (the comparison is of learners, not encoders).
  const read = await readTable({ name: 'telco.csv', bytes: new Uint8Array(readFileSync(TELCO)) });
  const t = read.table;
  const n = t.numRows();
  const y = Float64Array.from(columnValues(t, 'Churn'), (v) => (v === 'Yes' ? 1 : 0));
  const inputs = t.columnNames().filter((c) => c !== 'customerID' && c !== 'Churn').map((name) => ({ name, values: columnValues(t, name) }));
  const { encoding } = fitTabularEncoding(inputs);
  const trees = encodeForTrees(encoding, inputs, n).columns;
  const folds = stratifiedKFold(Float32Array.from(y), 5, 42);

  fitGbdt(trees, y, GBDT); // warm-up: optimised code for the timed fits
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fitGbdt(trees, y, GBDT);
    times.push((performance.now() - t0) / 1000);
  }
  const oof = new Float64Array(n);
  for (let f = 0; f < 5; f++) {
    const train = [...folds.keys()].filter((i) => folds[i] !== f);
    const test = [...folds.keys()].filter((i) => folds[i] === f);
    const m = fitGbdt(trees.map((c) => Float64Array.from(train, (i) => c[i]!)), Float64Array.from(train, (i) => y[i]!), GBDT);
    const p = predictGbdt(m, trees.map((c) => Float64Array.from(test, (i) => c[i]!)), test.length);
    test.forEach((i, k) => (oof[i] = p[k]!));
  }
  const telcoOurs = { seconds: median(times), auc: rocAuc(y, oof) };

  const lin = encodeForLinear(encoding, inputs, n);
  const lambda = 1;
  let logistic = fitLogistic(lin, y, { C: 1 / lambda }); // warm-up, as for the trees
  const logTimes: number[] = [];
  const logCpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    logistic = fitLogistic(lin, y, { C: 1 / lambda });
    const c = process.cpuUsage(c0);
    logTimes.push((performance.now() - t0) / 1000);
    logCpu.push((c.user + c.system) / 1e6);
  }
  const logisticSeconds = median(logTimes);
  const logisticCpu = median(logCpu);

  const big = generatedTable(bigN, 5);
  const bigFolds = stratifiedKFold(Float32Array.from(big.y), 5, 42);
  const bigTrain = [...bigFolds.keys()].filter((i) => bigFolds[i] !== 0);
  const bigTest = [...bigFolds.keys()].filter((i) => bigFolds[i] === 0);
  const trainCols = big.columns.map((c) => Float64Array.from(bigTrain, (i) => c[i]!));
  const trainY = Float64Array.from(bigTrain, (i) => big.y[i]!);
  const b0 = performance.now();
  const bigModel = fitGbdt(trainCols, trainY, GBDT);
  const bigSeconds = (performance.now() - b0) / 1000;
  const bigAuc = rocAuc(Float64Array.from(bigTest, (i) => big.y[i]!), predictGbdt(bigModel, big.columns.map((c) => Float64Array.from(bigTest, (i) => c[i]!)), bigTest.length));

  let sk: Record<string, unknown> | null = null;
  let skError = py === null ? note : '';
  if (py !== null) {
    const dir = mkdtempSync(join(tmpdir(), 'insight-classify-'));
    try {
      const job = {
        trees: [
          { name: 'telco', x: save(dir, 'telco.f64', rowMajor(trees, n)), y: save(dir, 'telco-y.f64', y), folds: save(dir, 'telco-folds.i32', folds), n, d: trees.length, oof: true, repeats },
          { name: 'big', x: save(dir, 'big.f64', rowMajor(big.columns, bigN)), y: save(dir, 'big-y.f64', big.y), folds: save(dir, 'big-folds.i32', bigFolds), n: bigN, d: 20, oof: false, repeats: 1 },
        ],
        logistic: { x: save(dir, 'lin.f64', Float64Array.from(lin.values)), y: 'telco-y.f64', n, d: lin.d, C: 1 / lambda, repeats },
      };
      const res = spawnSync(py.python, ['-c', SKLEARN_SCRIPT, dir, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
      if (res.status !== 0) skError = `sklearn failed: ${res.stderr.trim().split('\n').pop() ?? ''}`;
      else {
        const parsed: unknown = JSON.parse(res.stdout);
        if (typeof parsed === 'object' && parsed !== null) sk = { ...parsed };
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const num = (v: unknown, key: string): number | null => {
    if (typeof v !== 'object' || v === null) return null;
    const x: unknown = Reflect.get(v, key);
    return typeof x === 'number' ? x : null;
  };
  const skTelco = sk?.telco;
  const skBig = sk?.big;
  const skLog = sk?.logistic;
  const peer = (ours: { seconds: number; auc: number }, theirs: unknown): Record<string, number | string | null> => {
    const s = num(theirs, 'seconds');
    const a = num(theirs, 'auc');
    return { sklearnSeconds: s, fitRatio: s ? ours.seconds / s : null, sklearnAuc: a, aucDifference: a === null ? null : ours.auc - a, peer: skError || note };
  };
  report({ suite: 'classify', case: 'gbdt Telco 7,043 x 19 (fit on all rows; 5-fold OOF AUC, same folds)', n, d: trees.length, trees: 100, oursSeconds: telcoOurs.seconds, oursAuc: telcoOurs.auc, ...peer(telcoOurs, skTelco) }, json);
  report({ suite: 'classify', case: `gbdt generated ${bigN.toLocaleString('en')} x 20 (fit on 80%, AUC on 20%)`, n: bigN, d: 20, trees: bigModel.trees.length, oursSeconds: bigSeconds, oursAuc: bigAuc, ...peer({ seconds: bigSeconds, auc: bigAuc }, skBig) }, json);
  let maxCoef: number | null = null;
  let interceptDiff: number | null = null;
  if (typeof skLog === 'object' && skLog !== null && 'coef' in skLog && Array.isArray(skLog.coef)) {
    maxCoef = 0;
    skLog.coef.forEach((c: unknown, j: number) => (maxCoef = Math.max(maxCoef ?? 0, Math.abs(Number(c) - logistic.coef[j]!))));
    interceptDiff = Math.abs((num(skLog, 'intercept') ?? Number.NaN) - logistic.intercept);
  }
  const skLogSeconds = num(skLog, 'seconds');
  const skLogCpu = num(skLog, 'cpuSeconds');
  report({ suite: 'classify', case: `logistic Telco one-hot, standardised, L2 λ = 1 (sklearn C = 1/λ = 1); median of ${repeats} after a warm-up`, n, d: lin.d, oursSeconds: logisticSeconds, oursCpuSeconds: logisticCpu, newtonIterations: logistic.iterations, sklearnSeconds: skLogSeconds, sklearnCpuSeconds: skLogCpu, fitRatio: skLogSeconds ? logisticSeconds / skLogSeconds : null, cpuRatio: skLogCpu ? logisticCpu / skLogCpu : null, maxAbsCoefDifference: maxCoef, interceptDifference: interceptDiff, peer: skError || `${note}; coefficients vs newton-cg tol 1e-12, seconds vs default lbfgs (StandardScaler + fit)` }, json);

  // Cancel latency through the classify node (goal: the run stops within 200 ms of the click).
  const cancelCases: { name: string; table: ColumnTable; params: Record<string, unknown>; delays: number[] }[] = [
    { name: 'gbdt Telco 7,043 x 19, 5 folds + final', table: t, params: { label: 'Churn', positive: 'Yes', learner: 'gbdt' }, delays: [300, 700, 1100, 1500, 1900] },
    { name: 'logistic Telco one-hot, 5 folds + final', table: t, params: { label: 'Churn', positive: 'Yes', learner: 'logistic' }, delays: [60, 120, 180, 240, 300] },
  ];
  if (!argv.includes('--no-cancel-big')) {
    const cols: Record<string, Float64Array> = Object.fromEntries(big.columns.map((c, j) => [`x${j}`, c]));
    cancelCases.push({ name: `gbdt generated ${bigN.toLocaleString('en')} x 20`, table: aq.table({ ...cols, y: big.y }), params: { label: 'y', positive: '1', learner: 'gbdt', earlyStopping: 'off' }, delays: [8000, 12000] });
  }
  for (const c of cancelCases) {
    const runs = await measureCancel(c.table, c.params, c.delays);
    const lat = runs.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs]));
    const cpu = runs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    report({ suite: 'classify', case: `cancel ${c.name}: click → run ended (ms)`, clicks: runs.length, cancelled: lat.length, medianMs: lat.length ? median(lat) : null, maxMs: lat.length ? Math.max(...lat) : null, maxCpuMs: cpu.length ? Math.max(...cpu) : null, longestStepMs: Math.max(...runs.map((r) => r.longestStepMs)), goalMs: 200, perClick: runs.map((r) => `${r.atMs} ms: ${r.latencyMs === null ? r.state : `${r.latencyMs.toFixed(0)} wall / ${(r.cpuMs ?? 0).toFixed(0)} cpu`}`).join('; ') }, json);
  }
}
