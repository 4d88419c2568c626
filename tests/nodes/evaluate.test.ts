import { readFileSync } from 'node:fs';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describe, expect, it } from 'vitest';
import type { MetricsValue, Sequences } from '../../src/engine/ports.ts';
import { crossValidateLogistic } from '../../src/ml/logistic.ts';
import { binaryMetrics, rocAuc } from '../../src/ml/metrics.ts';
import { createRng } from '../../src/ml/random.ts';
import { runNode, type Feed } from './intent-harness.ts';

interface SklearnCase {
  name: string;
  y: number[];
  scores: number[];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  confusion: { tn: number; fp: number; fn: number; tp: number };
  rocAuc: number | null;
  averagePrecision: number | null;
  logLoss: number;
  brier: number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  maxF1: { threshold: number; f1: number };
}

// Reference values written by scikit-learn 1.2.1 (tests/fixtures/sklearn/make.py).
const fixture: { cases: SklearnCase[] } = JSON.parse(readFileSync(new URL('../fixtures/sklearn/metrics.json', import.meta.url), 'utf8'));
const sklearnCase = (name: string): SklearnCase => {
  const c = fixture.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no fixture case ${name}`);
  return c;
};

const predictionsFeed = (y: readonly number[], scores: readonly number[], folds?: readonly number[]): Feed => ({
  type: 'predictions',
  value: aq.table({ id: y.map((_, i) => `c${i}`), score: [...scores], label: [...y], fold: folds ? [...folds] : y.map((_, i) => i % 4) }),
});

function metricsOf(outputs: Record<string, unknown> | undefined): MetricsValue {
  const m = outputs?.metrics;
  if (!m || typeof m !== 'object' || !('summary' in m)) throw new Error('no metrics output');
  return m as MetricsValue;
}

const column = (t: ColumnTable | undefined, name: string): unknown[] => (t ? Array.from(t.array(name)) : []);

describe('evaluate node', () => {
  it('reports every metric equal to scikit-learn on the same predictions to 1e-6', async () => {
    for (const name of ['random-200', 'ties-60', 'tiny-3-misranked', 'extreme-probabilities']) {
      const c = sklearnCase(name);
      const run = await runNode('evaluate', { baseline: 'none' }, { predictions: predictionsFeed(c.y, c.scores, c.y.map(() => 0)) });
      const s = metricsOf(run.outputs).summary;
      expect(s.accuracy).toBeCloseTo(c.accuracy, 6);
      expect(s.precision).toBeCloseTo(c.precision, 6);
      expect(s.recall).toBeCloseTo(c.recall, 6);
      expect(s.f1).toBeCloseTo(c.f1, 6);
      expect(s.roc_auc).toBeCloseTo(c.rocAuc ?? Number.NaN, 6);
      expect(s.pr_auc).toBeCloseTo(c.averagePrecision ?? Number.NaN, 6);
      expect(s.log_loss).toBeCloseTo(c.logLoss, 6);
      expect(s.brier).toBeCloseTo(c.brier, 6);
      const tables = metricsOf(run.outputs).tables;
      expect(column(tables.confusion, 'count')).toEqual([c.confusion.tp, c.confusion.fn, c.confusion.fp, c.confusion.tn]);
      const fpr = column(tables.roc, 'fpr').map(Number);
      const tpr = column(tables.roc, 'tpr').map(Number);
      expect(fpr).toHaveLength(c.roc.fpr.length);
      fpr.forEach((v, i) => expect(v).toBeCloseTo(c.roc.fpr[i] ?? Number.NaN, 9));
      tpr.forEach((v, i) => expect(v).toBeCloseTo(c.roc.tpr[i] ?? Number.NaN, 9));
    }
  });

  it('picks the F1-maximising threshold when asked', async () => {
    const c = sklearnCase('random-200');
    const run = await runNode('evaluate', { baseline: 'none', thresholdRule: 'max-f1' }, { predictions: predictionsFeed(c.y, c.scores) });
    const s = metricsOf(run.outputs).summary;
    expect(s.threshold).toBe(c.maxF1.threshold);
    expect(s.f1).toBeCloseTo(c.maxF1.f1, 9);
    expect(run.status.summary).toBe(`AUC ${c.rocAuc?.toFixed(3)}`);
  });

  it('names the best of the compared models and its AUC in the summary, whichever input it came in on', async () => {
    const c = sklearnCase('random-200');
    // Model 2: the scores made better (pulled toward the labels); model 3: worse (half noise).
    const rng = createRng(5);
    const better = c.scores.map((s, i) => 0.5 * s + 0.5 * (c.y[i] ?? 0) * rng.next());
    const worse = c.scores.map((s) => 0.5 * s + 0.5 * rng.next());
    const feeds = { predictions: predictionsFeed(c.y, c.scores), predictions2: predictionsFeed(c.y, better), predictions3: predictionsFeed(c.y, worse) };
    const run = await runNode('evaluate', { baseline: 'none', name: 'LSTM', name2: 'trees', name3: 'logistic' }, feeds);
    const top = rocAuc(c.y, better);
    expect(top).toBeGreaterThan(Math.max(rocAuc(c.y, c.scores), rocAuc(c.y, worse)));
    expect(metricsOf(run.outputs).detail.best).toEqual({ model: 'trees', roc_auc: top, models: 3, first: false });
    // Short enough for a node card (about 32 characters): the baseline is left to the leaderboard.
    expect(run.status.summary).toBe(`AUC ${c.rocAuc?.toFixed(3)} · best ${top.toFixed(3)}: trees`);
    // The best model on the first input: said in a few words.
    const firstBest = await runNode('evaluate', { name: 'trees', name2: 'LSTM', name3: 'logistic' }, { ...feeds, predictions: feeds.predictions2, predictions2: feeds.predictions });
    expect(metricsOf(firstBest.outputs).detail.best).toEqual({ model: 'trees', roc_auc: top, models: 3, first: true });
    expect(firstBest.status.summary).toBe(`AUC ${top.toFixed(3)} · best of 3`);
    // One model alone: no "best of" part.
    const alone = await runNode('evaluate', { baseline: 'none' }, { predictions: predictionsFeed(c.y, c.scores) });
    expect(metricsOf(alone.outputs).detail.best).toBeUndefined();
  });

  it('gives per-fold figures with mean ± std, and leaves out rows no fold scored', async () => {
    const c = sklearnCase('random-200');
    const folds = c.y.map((_, i) => (i < 20 ? -1 : i % 3));
    const run = await runNode('evaluate', { baseline: 'none' }, { predictions: predictionsFeed(c.y, c.scores, folds) });
    const m = metricsOf(run.outputs);
    expect(m.summary.n).toBe(180);
    expect(m.detail.skippedRows).toBe(20);
    expect(column(m.tables.folds, 'fold')).toEqual([0, 1, 2]);
    const perFold = [0, 1, 2].map((f) => {
      const rows = c.y.map((_, i) => i).filter((i) => folds[i] === f);
      return rocAuc(rows.map((i) => c.y[i] ?? 0), rows.map((i) => c.scores[i] ?? 0));
    });
    column(m.tables.folds, 'roc_auc').forEach((v, k) => expect(v).toBeCloseTo(perFold[k] ?? Number.NaN, 12));
    const mean = (perFold[0]! + perFold[1]! + perFold[2]!) / 3;
    const std = Math.sqrt(perFold.reduce((a, v) => a + (v - mean) ** 2, 0) / 3);
    expect(m.summary.roc_auc_fold_mean).toBeCloseTo(mean, 12);
    expect(m.summary.roc_auc_fold_std).toBeCloseTo(std, 12);
    expect(column(m.tables.calibration, 'count').reduce((a: number, v) => a + Number(v), 0)).toBe(180);
  });

  it('fits the logistic baseline on the static features with the same folds, beside the model', async () => {
    // 120 customers; the static feature carries some signal, the "model" scores carry more.
    const rng = createRng(5);
    const n = 120;
    const y = Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const staticValue = y.map((v) => v + 1.5 * rng.normal());
    const scores = y.map((v) => 1 / (1 + Math.exp(-(2 * v - 1 + 0.8 * rng.normal()))));
    const folds = y.map((_, i) => i % 5);
    const steps = 2;
    const x = new Float32Array(n * steps * 2);
    for (let i = 0; i < n; i++) for (let t = 0; t < steps; t++) {
      x[(i * steps + t) * 2] = t + i;
      x[(i * steps + t) * 2 + 1] = staticValue[i] ?? 0;
    }
    const sequences: Sequences = {
      x, n, steps, features: 2, labels: Float32Array.from(y), ids: y.map((_, i) => `c${i}`), featureNames: ['rows', 'score'], stepLabels: ['w1', 'w2'],
      meta: { staticFeatures: ['score'], activityFeatures: 1 },
    };
    const run = await runNode('evaluate', {}, { predictions: predictionsFeed(y, scores, folds), sequences: { type: 'sequences', value: sequences } });
    const m = metricsOf(run.outputs);
    const reference = crossValidateLogistic({ values: Float64Array.from(staticValue), n, d: 1 }, y, folds);
    const baselineAuc = rocAuc(y, reference.probabilities);
    expect(m.summary.baseline_roc_auc).toBeCloseTo(baselineAuc, 9);
    expect(m.summary.roc_auc_lift).toBeCloseTo(rocAuc(y, scores) - baselineAuc, 9);
    expect(m.detail.baseline).toEqual({ kind: 'static features of the sequences', features: ['score'], threshold: 0.5 });
    expect(column(m.tables.baseline, 'metric')).toEqual(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'log_loss', 'brier']);
    const direct = binaryMetrics(y, reference.probabilities);
    expect(column(m.tables.baseline, 'baseline')[6]).toBeCloseTo(direct.logLoss, 9);
    expect(new Set(column(m.tables.roc, 'model'))).toEqual(new Set(['model', 'baseline']));
    expect(run.status.summary).toBe(`AUC ${rocAuc(y, scores).toFixed(3)} · baseline ${baselineAuc.toFixed(3)}`);

    // Without static features the baseline uses log totals of each activity feature.
    const totals = await runNode('evaluate', {}, { predictions: predictionsFeed(y, scores, folds), sequences: { type: 'sequences', value: { ...sequences, meta: { staticFeatures: [], activityFeatures: 1 } } } });
    expect(metricsOf(totals.outputs).detail.baseline).toMatchObject({ kind: 'sequence totals', features: ['log1p(total rows)'] });
  });

  it('fails clearly on a single class, a score outside [0, 1], no scored rows and missing columns', async () => {
    const one = await runNode('evaluate', {}, { predictions: predictionsFeed([1, 1, 1], [0.2, 0.5, 0.9]) });
    expect(one.status.issues[0]?.message).toBe('Every evaluated customer has label 1: ROC AUC, PR AUC and F1 are undefined with one class.');
    const bad = await runNode('evaluate', {}, { predictions: predictionsFeed([1, 0], [Number.NaN, 0.5]) });
    expect(bad.status.issues[0]?.message).toBe('Customer "c0" has score "NaN"; scores must be probabilities between 0 and 1.');
    const none = await runNode('evaluate', {}, { predictions: predictionsFeed([1, 0], [0.2, 0.5], [-1, -1]) });
    expect(none.status.issues[0]?.code).toBe('evaluate.noRows');
    const wrong = await runNode('evaluate', {}, { predictions: { type: 'predictions', value: aq.table({ id: ['a'], p: [0.5] }) } });
    expect(wrong.status.issues[0]?.message).toBe('The predictions table needs columns id, score and label; it has "id, p".');
  });

  it('warns when a fold holds one class and keeps its undefined AUC out of the mean', async () => {
    const run = await runNode('evaluate', { baseline: 'none' }, { predictions: predictionsFeed([0, 0, 1, 1, 0, 1], [0.1, 0.2, 0.7, 0.8, 0.3, 0.6], [0, 0, 1, 1, 2, 2]) });
    expect(run.status.state).toBe('warning');
    expect(run.status.issues.map((i) => i.message)).toEqual([
      'Fold 0 holds only label 0; its ROC and PR AUC are undefined and left out of the fold mean.',
      'Fold 1 holds only label 1; its ROC and PR AUC are undefined and left out of the fold mean.',
    ]);
    const m = metricsOf(run.outputs);
    expect(column(m.tables.folds, 'roc_auc')).toEqual([null, null, 1]);
    expect(m.summary.roc_auc_fold_mean).toBe(1);
  });
});
