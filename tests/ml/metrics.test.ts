import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/sklearn/metrics.json';
import {
  LOG_LOSS_EPS,
  averagePrecision,
  binaryMetrics,
  brierScore,
  confusionAt,
  logLoss,
  maxF1Threshold,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  summariseFolds,
} from '../../src/ml/metrics.ts';
import { KernelInputError } from '../../src/ml/matrix.ts';

const TOL = 1e-6;

/** Compares arrays entry by entry; null in the fixture stands for NaN. */
function expectArrayClose(actual: ArrayLike<number>, expected: readonly (number | null)[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null || e === undefined) expect(actual[i]).toBeNaN();
    else expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(tol);
  }
}

describe('binary metrics match scikit-learn ' + fixture.sklearn + ' to 1e-6', () => {
  for (const c of fixture.cases) {
    describe(`case ${c.name} (${c.y.length} rows)`, () => {
      const m = binaryMetrics(c.y, c.scores, { threshold: 0.5 });

      it('gives accuracy, precision, recall and F1 at threshold 0.5', () => {
        expect(m.accuracy).toBeCloseTo(c.accuracy, 12);
        expect(m.precision).toBeCloseTo(c.precision, 12);
        expect(m.recall).toBeCloseTo(c.recall, 12);
        expect(m.f1).toBeCloseTo(c.f1, 12);
        expect(m.confusion).toEqual({ threshold: 0.5, ...c.confusion });
      });

      it('gives ROC AUC and average precision (NaN with a flag when single-class)', () => {
        if (c.rocAuc === null || c.averagePrecision === null) {
          expect(m.singleClass).toBe(true);
          expect(m.rocAuc).toBeNaN();
          expect(m.averagePrecision).toBeNaN();
        } else {
          expect(m.singleClass).toBe(false);
          expect(Math.abs(m.rocAuc - c.rocAuc)).toBeLessThanOrEqual(TOL);
          expect(Math.abs(m.averagePrecision - c.averagePrecision)).toBeLessThanOrEqual(TOL);
        }
      });

      it('gives log loss (clipped at float64 epsilon) and the Brier score', () => {
        expect(Math.abs(m.logLoss - c.logLoss)).toBeLessThanOrEqual(TOL);
        expect(Math.abs(m.brier - c.brier)).toBeLessThanOrEqual(TOL);
      });

      it('gives the ROC curve points after dropping collinear ones, starting at threshold +Infinity', () => {
        expectArrayClose(m.roc.fpr, c.roc.fpr);
        expectArrayClose(m.roc.tpr, c.roc.tpr);
        expect(m.roc.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
        expectArrayClose(m.roc.thresholds.subarray(1), c.roc.thresholds);
      });

      it('gives the precision-recall curve points', () => {
        expectArrayClose(m.pr.precision, c.pr.precision);
        expectArrayClose(m.pr.recall, c.pr.recall);
        expectArrayClose(m.pr.thresholds, c.pr.thresholds);
      });

      it('finds the F1-maximising threshold (highest on ties)', () => {
        const best = maxF1Threshold(c.y, c.scores);
        expect(best.threshold).toBe(c.maxF1.threshold);
        expect(Math.abs(best.f1 - c.maxF1.f1)).toBeLessThanOrEqual(TOL);
        const atBest = binaryMetrics(c.y, c.scores, { threshold: 'max-f1' });
        expect(atBest.thresholdRule).toBe('max-f1');
        expect(atBest.confusion.threshold).toBe(c.maxF1.threshold);
        expect(Math.abs(atBest.f1 - c.maxF1.f1)).toBeLessThanOrEqual(TOL);
      });
    });
  }
});

describe('ranking metrics by hand', () => {
  it('counts a tie between a positive and a negative as one half in ROC AUC', () => {
    // Pairs (pos, neg): (0.8, 0.8) tie = 0.5, (0.8, 0.1) = 1, (0.3, 0.8) = 0, (0.3, 0.1) = 1 → 2.5 / 4.
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.8, 0.3, 0.1])).toBeCloseTo(0.625, 15);
  });

  it('gives average precision 1 for a perfect ranking and the step sum otherwise', () => {
    expect(averagePrecision([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toBe(1);
    // Ranking: +, −, + → AP = ½ · 1 + ½ · (2/3).
    expect(averagePrecision([1, 0, 1], [0.9, 0.5, 0.1])).toBeCloseTo(0.5 + 1 / 3, 15);
  });

  it('clips probabilities of exactly 0 or 1 so that log loss stays finite', () => {
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(LOG_LOSS_EPS), 9);
    expect(logLoss([0, 1], [0, 1])).toBeCloseTo(-Math.log(1 - LOG_LOSS_EPS), 20);
  });

  it('predicts positive at a score equal to the threshold', () => {
    expect(confusionAt([1, 0, 1, 0], [0.5, 0.5, 0.4, 0.6], 0.5)).toEqual({ threshold: 0.5, tp: 1, fp: 2, tn: 0, fn: 1 });
  });

  it('keeps only the corners of a ROC curve with collinear points', () => {
    // Scores all distinct, labels + + − −: tps 1,2,2,2 fps 0,0,1,2; the third point lies on a straight run.
    const roc = rocCurve([1, 1, 0, 0], [0.9, 0.8, 0.7, 0.6]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 1, 1]);
    expect(Array.from(roc.thresholds)).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.6]);
  });

  it('returns one PR point per distinct score plus the (recall 0, precision 1) end', () => {
    const pr = precisionRecallCurve([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(pr.precision)).toEqual([0.5, 1]);
    expect(Array.from(pr.recall)).toEqual([1, 0]);
    expect(Array.from(pr.thresholds)).toEqual([0.5]);
  });
});

describe('bad input', () => {
  it('rejects empty arrays', () => {
    expect(() => rocAuc([], [])).toThrowError(new KernelInputError('empty', 'No rows to evaluate: labels and scores are empty.'));
  });

  it('rejects a NaN score and names the row', () => {
    expect(() => brierScore([0, 1, 1], [0.2, Number.NaN, 0.3])).toThrowError('Score at row 1 is NaN.');
  });

  it('rejects labels other than 0 and 1 and names the row', () => {
    expect(() => logLoss([0, 2], [0.1, 0.2])).toThrowError('Label at row 1 is 2; expected 0 or 1.');
  });

  it('rejects probabilities outside [0, 1] for log loss and Brier', () => {
    expect(() => brierScore([0, 1], [0.1, 1.2])).toThrowError('Probability at row 1 is 1.2; expected a value in [0, 1].');
  });

  it('rejects arrays of different lengths', () => {
    expect(() => averagePrecision([0, 1, 1], [0.1, 0.2])).toThrowError('Labels have 3 rows but scores have 2.');
  });
});

describe('summariseFolds', () => {
  it('gives the mean and population std per metric, skipping undefined folds', () => {
    const a = binaryMetrics([0, 1, 1, 0], [0.2, 0.7, 0.6, 0.4]); // perfect ranking: AUC 1, accuracy 1
    const b = binaryMetrics([0, 1, 1, 0], [0.6, 0.7, 0.3, 0.4]); // accuracy 0.5, AUC 0.5
    const c = binaryMetrics([0, 0], [0.2, 0.3]); // single class: AUC undefined, accuracy 1
    const s = summariseFolds([a, b, c]);
    expect(s.rocAuc.defined).toBe(2);
    expect(s.rocAuc.mean).toBeCloseTo(0.75, 15);
    expect(s.rocAuc.std).toBeCloseTo(0.25, 15);
    expect(s.rocAuc.values[2]).toBeNaN();
    expect(s.accuracy.defined).toBe(3);
    expect(s.accuracy.mean).toBeCloseTo(2.5 / 3, 15);
    expect(s.accuracy.std).toBeCloseTo(Math.sqrt(((1 - 2.5 / 3) ** 2 * 2 + (0.5 - 2.5 / 3) ** 2) / 3), 15);
  });
});
