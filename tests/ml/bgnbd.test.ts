/**
 * BG/NBD, Gamma-Gamma and the special functions they need, checked against
 * tests/fixtures/clv/reference.json: SciPy transcriptions of lifetimes 0.11.3's formulas on a
 * numpy-simulated data set (lifetimes itself is not installed here; see make-reference.py),
 * against a direct implementation of the paper's likelihood, and by parameter recovery on
 * customers simulated with known parameters.
 */
import { describe, expect, it } from 'vitest';
import ref from '../fixtures/clv/reference.json';
import { bgnbdLogLikelihood, expectedPurchases, expectedPurchasesNew, fitBgNbd, probabilityAlive, probabilityAnyPurchase, type BgNbdParams, type PurchaseHistory } from '../../src/ml/bgnbd.ts';
import { simulateCustomers } from '../../src/ml/bgnbd-simulate.ts';
import { customerLifetimeValue, expectedAverageSpend, fitGammaGamma, gammaGammaLogLikelihood } from '../../src/ml/gamma-gamma.ts';
import { createRng } from '../../src/ml/random.ts';
import { digamma, hyp2f1Log, logGamma } from '../../src/ml/special.ts';

const history: PurchaseHistory = { frequency: Float64Array.from(ref.data.frequency), recency: Float64Array.from(ref.data.recency), T: Float64Array.from(ref.data.T) };
const monetary = Float64Array.from(ref.data.monetary);
const asParams = (v: number[]): BgNbdParams => ({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! });
const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);

describe('special functions', () => {
  it('give SciPy’s gammaln to 1e-13 and digamma to 1e-12 relative', () => {
    ref.special.x.forEach((x, i) => {
      expect(Math.abs(logGamma(x) - ref.special.gammaln[i]!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(ref.special.gammaln[i]!)));
      expect(Math.abs(digamma(x) - ref.special.digamma[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.special.digamma[i]!)));
    });
  });

  it('give log ₂F₁ to 1e-12, including the large parameters of frequent buyers near z = 1', () => {
    for (const c of ref.hyp2f1) {
      const h = hyp2f1Log(c.a, c.b, c.c, c.z);
      expect(h.sign).toBe(1);
      expect(Math.abs(h.log - c.log)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(c.log)));
    }
  });

  it('reports a series that cannot converge in the allowed terms instead of a wrong number', () => {
    expect(hyp2f1Log(2, 3, 4, 0.999999, 1000).sign).toBe(0);
    expect(Number.isNaN(hyp2f1Log(2, 3, 4, 0.999999, 1000).log)).toBe(true);
    expect(hyp2f1Log(2, 3, 4, 1).sign).toBe(0);
  });
});

/** The paper's eq. 6 likelihood written out as a product, no log-sum-exp. */
function paperLogLikelihood(h: PurchaseHistory, p: BgNbdParams): number {
  const logBeta = (x: number, y: number): number => logGamma(x) + logGamma(y) - logGamma(x + y);
  let ll = 0;
  for (let i = 0; i < h.frequency.length; i++) {
    const x = h.frequency[i]!;
    const common = logGamma(p.r + x) + p.r * Math.log(p.alpha) - logGamma(p.r);
    let l = Math.exp(logBeta(p.a, p.b + x) - logBeta(p.a, p.b) + common - (p.r + x) * Math.log(p.alpha + h.T[i]!));
    if (x > 0) l += Math.exp(logBeta(p.a + 1, p.b + x - 1) - logBeta(p.a, p.b) + common - (p.r + x) * Math.log(p.alpha + h.recency[i]!));
    ll += Math.log(l);
  }
  return ll;
}

describe('BG/NBD', () => {
  const cdnow: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 };

  it('has lifetimes’ log-likelihood: the same value as its transcription and as the paper’s product form, to 1e-10 relative', () => {
    const ll = bgnbdLogLikelihood(history, cdnow);
    expect(rel(ll, ref.bgnbd_ll_at_cdnow_params)).toBeLessThanOrEqual(1e-10);
    expect(rel(ll, paperLogLikelihood(history, cdnow))).toBeLessThanOrEqual(1e-10);
  });

  it('reaches the SciPy optimum: parameters to 1e-5, log-likelihood to 1e-9 and standard errors to 1e-3 relative', () => {
    const fit = fitBgNbd(history);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(1500);
    const want = ref.bgnbd_fit.params;
    [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b].forEach((v, i) => expect(rel(v, want[i]!)).toBeLessThanOrEqual(1e-5));
    expect(rel(fit.logLikelihood, ref.bgnbd_fit.ll)).toBeLessThanOrEqual(1e-9);
    [fit.standardErrors.r, fit.standardErrors.alpha, fit.standardErrors.a, fit.standardErrors.b].forEach((v, i) => expect(rel(v, ref.bgnbd_fit.se[i]!)).toBeLessThanOrEqual(1e-3));
  });

  it('minimises lifetimes’ penalised objective (penalizer_coef 0.01): the SciPy optimum to 1e-5, its log-likelihood to 1e-8', () => {
    const fit = fitBgNbd(history, { penalizer: 0.01 });
    expect(fit.converged).toBe(true);
    const want = ref['bgnbd_fit_penalized_0.01'];
    [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b].forEach((v, i) => expect(rel(v, want.params[i]!)).toBeLessThanOrEqual(1e-5));
    expect(rel(fit.logLikelihood, want.ll)).toBeLessThanOrEqual(1e-8);
  });

  it('gives lifetimes’ P(alive) and conditional expected purchases to 1e-9 relative at the fitted parameters', () => {
    const p = asParams(ref.bgnbd_fit.params);
    let worstE = 0;
    let worstA = 0;
    for (let i = 0; i < 1500; i++) {
      const x = history.frequency[i]!;
      const t = history.recency[i]!;
      const T = history.T[i]!;
      worstE = Math.max(worstE, rel(expectedPurchases(p, ref.bgnbd_predictions.t, x, t, T), ref.bgnbd_predictions.expected[i]!));
      worstA = Math.max(worstA, rel(probabilityAlive(p, x, t, T), ref.bgnbd_predictions.p_alive[i]!));
    }
    expect(worstE).toBeLessThanOrEqual(1e-9);
    expect(worstA).toBeLessThanOrEqual(1e-9);
  });

  it('stays exact for frequent buyers, where SciPy’s direct ₂F₁ overflows and lifetimes takes the Euler form (1e-9)', () => {
    const h = ref.bgnbd_heavy;
    h.frequency.forEach((x, i) => {
      const e = expectedPurchases(asParams(h.params), h.t, x, h.recency[i]!, h.T[i]!);
      expect(rel(e, h.expected[i]!)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('agrees with the expectation integrated over the posterior of p (quadrature, 1e-7)', () => {
    // Given alive at T: λ ~ Gamma(r + x, α + T), p ~ Beta(a, b + x) and E[X(t) | λ, p] = (1 − e^{−λpt})/p, so
    // E = P(alive) ∫ (1 − ((α+T)/(α+T+pt))^{r+x}) / p · Beta(p; a, b+x) dp.
    const p: BgNbdParams = { r: 0.8, alpha: 5, a: 1.6, b: 3.2 };
    for (const [x, tx, T, t] of [[0, 0, 30, 20], [3, 12, 30, 20], [10, 29, 30, 52], [2, 3, 40, 8]] as const) {
      const shapeB = p.b + x;
      const logB = logGamma(p.a) + logGamma(shapeB) - logGamma(p.a + shapeB);
      const steps = 200_000;
      let integral = 0;
      for (let k = 0; k < steps; k++) {
        const q = (k + 0.5) / steps;
        const g = (1 - ((p.alpha + T) / (p.alpha + T + q * t)) ** (p.r + x)) / q;
        integral += g * Math.exp((p.a - 1) * Math.log(q) + (shapeB - 1) * Math.log(1 - q) - logB) / steps;
      }
      expect(rel(expectedPurchases(p, t, x, tx, T), probabilityAlive(p, x, tx, T) * integral)).toBeLessThanOrEqual(1e-7);
    }
  });

  it('gives 0 expected purchases over a zero horizon and the new-customer expectation for x = 0 at T = 0', () => {
    const p = asParams(ref.bgnbd_fit.params);
    expect(expectedPurchases(p, 0, 3, 10, 30)).toBe(0);
    expect(rel(expectedPurchases(p, 26, 0, 0, 0), expectedPurchasesNew(p, 26))).toBeLessThanOrEqual(1e-12);
  });

  it('recovers known parameters from 20,000 simulated customers within 3 standard errors each', () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const sim = simulateCustomers(truth, { customers: 20_000, minT: 20, maxT: 40 }, createRng(7));
    const fit = fitBgNbd(sim);
    expect(fit.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[k] - truth[k])).toBeLessThanOrEqual(3 * fit.standardErrors[k]);
  });

  it('has honest standard errors: over 12 simulated samples of 3,000, 50–90% of the 48 estimates lie within 1 SE and all within 4', () => {
    const truth: BgNbdParams = { r: 0.5, alpha: 6, a: 0.7, b: 3 };
    let within1 = 0;
    let worst = 0;
    for (let s = 0; s < 12; s++) {
      const sim = simulateCustomers(truth, { customers: 3000, minT: 30, maxT: 60 }, createRng(100 + s));
      const fit = fitBgNbd(sim);
      expect(fit.converged).toBe(true);
      for (const k of ['r', 'alpha', 'a', 'b'] as const) {
        const z = Math.abs(fit.params[k] - truth[k]) / fit.standardErrors[k];
        if (z <= 1) within1++;
        worst = Math.max(worst, z);
      }
    }
    expect(within1).toBeGreaterThanOrEqual(24);
    expect(within1).toBeLessThanOrEqual(43);
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('predicts the holdout of simulated customers: mean expected purchases and P(≥ 1 purchase) within 4 standard errors of what they did', () => {
    const truth: BgNbdParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
    const sim = simulateCustomers(truth, { customers: 20_000, minT: 20, maxT: 40, holdout: 26 }, createRng(11));
    let expected = 0;
    let actual = 0;
    let sq = 0;
    let pAny = 0;
    let any = 0;
    const n = sim.frequency.length;
    for (let i = 0; i < n; i++) {
      const x = sim.frequency[i]!;
      expected += expectedPurchases(truth, 26, x, sim.recency[i]!, sim.T[i]!) / n;
      pAny += probabilityAnyPurchase(truth, 26, x, sim.recency[i]!, sim.T[i]!) / n;
      actual += sim.holdoutFrequency[i]! / n;
      sq += sim.holdoutFrequency[i]! ** 2 / n;
      any += (sim.holdoutFrequency[i]! > 0 ? 1 : 0) / n;
    }
    const seMean = Math.sqrt((sq - actual ** 2) / n);
    expect(Math.abs(expected - actual)).toBeLessThanOrEqual(4 * seMean);
    expect(Math.abs(pAny - any)).toBeLessThanOrEqual(4 * Math.sqrt((any * (1 - any)) / n));
  });
});

describe('Gamma-Gamma', () => {
  const returning = history.frequency.map((x) => (x > 0 ? 1 : 0)).reduce((s, v) => s + v, 0);
  const gx = Float64Array.from(history.frequency.filter((x) => x > 0));
  const gm = Float64Array.from(monetary.filter((_, i) => history.frequency[i]! > 0));

  it('has lifetimes’ log-likelihood to 1e-10 relative', () => {
    expect(returning).toBe(ref.gg_fit.customers);
    expect(rel(gammaGammaLogLikelihood(gx, gm, { p: 6.25, q: 3.74, v: 15.45 }), ref.gg_fit.ll_at_cdnow_params)).toBeLessThanOrEqual(1e-10);
  });

  it('reaches the SciPy optimum: parameters to 1e-5, log-likelihood to 1e-9, standard errors to 1e-3 relative', () => {
    const fit = fitGammaGamma(gx, gm);
    expect(fit.converged).toBe(true);
    [fit.params.p, fit.params.q, fit.params.v].forEach((v, i) => expect(rel(v, ref.gg_fit.params[i]!)).toBeLessThanOrEqual(1e-5));
    expect(rel(fit.logLikelihood, ref.gg_fit.ll)).toBeLessThanOrEqual(1e-9);
    [fit.standardErrors.p, fit.standardErrors.q, fit.standardErrors.v].forEach((v, i) => expect(rel(v, ref.gg_fit.se[i]!)).toBeLessThanOrEqual(1e-3));
  });

  it('gives lifetimes’ expected average spend and 12-month CLV (weekly periods, 1% a month) to 1e-9 relative', () => {
    const gg = { p: ref.gg_fit.params[0]!, q: ref.gg_fit.params[1]!, v: ref.gg_fit.params[2]! };
    const bg = asParams(ref.bgnbd_fit.params);
    let worstS = 0;
    let worstC = 0;
    for (let i = 0; i < 1500; i++) {
      const x = history.frequency[i]!;
      const spend = expectedAverageSpend(gg, x, monetary[i]!);
      worstS = Math.max(worstS, rel(spend, ref.gg_predictions.spend[i]!));
      worstC = Math.max(worstC, rel(customerLifetimeValue(bg, spend, 12, 0.01, 4.345, x, history.recency[i]!, history.T[i]!), ref.gg_predictions['clv_12_months_w_0.01'][i]!));
    }
    expect(worstS).toBeLessThanOrEqual(1e-9);
    expect(worstC).toBeLessThanOrEqual(1e-9);
  });

  it('recovers known spend parameters from 30,000 simulated customers within 3 standard errors each', () => {
    const spend = { p: 6, q: 4, v: 15 };
    const sim = simulateCustomers({ r: 0.8, alpha: 4, a: 0.8, b: 2.5 }, { customers: 30_000, minT: 30, maxT: 60, spend }, createRng(3));
    const keep = Array.from(sim.frequency, (x, i) => (x > 0 ? i : -1)).filter((i) => i >= 0);
    const fit = fitGammaGamma(Float64Array.from(keep, (i) => sim.frequency[i]!), Float64Array.from(keep, (i) => sim.monetary[i]!));
    expect(fit.converged).toBe(true);
    for (const k of ['p', 'q', 'v'] as const) expect(Math.abs(fit.params[k] - spend[k])).toBeLessThanOrEqual(3 * fit.standardErrors[k]);
  });

  it('gives the population mean v·p/(q − 1) to a customer with no repeat purchase, and NaN when q ≤ 1', () => {
    expect(expectedAverageSpend({ p: 6, q: 4, v: 15 }, 0, 0)).toBeCloseTo(30, 12);
    expect(Number.isNaN(expectedAverageSpend({ p: 6, q: 1, v: 15 }, 2, 10))).toBe(true);
  });

  it('refuses zero or negative spend with a message naming the customer', () => {
    expect(() => fitGammaGamma(Float64Array.of(1, 2), Float64Array.of(10, 0))).toThrow(/Customer 1 has frequency 2 and monetary value 0/);
  });
});
