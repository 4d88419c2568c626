import { beforeAll, describe, expect, it } from 'vitest';
import { committedTexts, measureQuality, type Quality } from './measure.ts';

describe('ground truth of the committed set', () => {
  let quality: Quality;
  let manifest: { truth: { bayes_auc: number; base_rate: number } };

  beforeAll(() => {
    const texts = committedTexts();
    quality = measureQuality(texts);
    manifest = JSON.parse(texts.manifest);
  });

  it('gives an informative Bayes AUC, the one the manifest reports', () => {
    expect(quality.bayesAuc).toBeCloseTo(manifest.truth.bayes_auc, 6);
    expect(quality.bayesAuc).toBeGreaterThan(0.8);
    expect(quality.bayesAuc).toBeLessThan(0.9);
    expect(quality.baseRate).toBeCloseTo(manifest.truth.base_rate, 6);
  });

  it('leaves a logistic regression on recency/frequency/monetary totals at least 0.05 AUC below Bayes', () => {
    expect(quality.rfmAuc).toBeGreaterThan(0.6);
    expect(quality.rfmAuc).toBeLessThan(quality.bayesAuc - 0.05);
  });

  it('lets a linear model on the weekly sequences reach 90% of the Bayes AUC and beat the totals', () => {
    expect(quality.weeklyAuc).toBeGreaterThan(0.9 * quality.bayesAuc);
    expect(quality.weeklyAuc).toBeGreaterThan(quality.rfmAuc);
  });

  it('lets k-means on min-max RFM plus category shares recover the archetypes (ARI ≥ 0.8)', () => {
    expect(quality.archetypes).toBe(6);
    expect(quality.ari).toBeGreaterThanOrEqual(0.8);
  });
});
