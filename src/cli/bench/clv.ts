/**
 * `npm run bench -- clv [--json] [--customers N] [--repeats R]`
 *
 * BG/NBD + Gamma-Gamma fit on N (default 100,000) seeded simulated customers (r 0.25, α 4,
 * a 0.8, b 2.5; T uniform in [20, 60]; spend p 6, q 4, v 15): the time of each fit (median of R
 * runs, default 3), their sum against the goal of 2 s, the scoring time (P(alive), expected
 * purchases, P(≥ 1), spend and 12-month CLV for every customer), the peak resident memory of the
 * process and the heap growth over a fit.
 *
 * Peer: lifetimes is not installed on this machine, so the peer is a numpy/SciPy transcription
 * of lifetimes 0.11.3's BetaGeoFitter and GammaGammaFitter fits — the same log-likelihoods,
 * minimised by scipy.optimize.minimize (BFGS with the analytic gradient, as lifetimes gets it from
 * autograd, tol 1e-7) from lifetimes' start (all log-parameters 0) — on the same customers, run
 * in /usr/bin/python3 when it imports scipy. Ours and the peer alternate run by run; ratios are
 * ours / peer (below 1 = faster).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fitBgNbd } from '../../ml/bgnbd.ts';
import { simulateCustomers } from '../../ml/bgnbd-simulate.ts';
import { fitGammaGamma } from '../../ml/gamma-gamma.ts';
import { fitLifetimeValue, scoreLifetimeValue, paramsOfModel } from '../../ml/lifetime-value.ts';
import { createRng } from '../../ml/random.ts';
import { report, type BenchOptions } from './report.ts';

const PEER = `
import json, sys, time
import numpy as np
from scipy.special import gammaln, digamma
from scipy.optimize import minimize
path, n, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path + "/x.f64", dtype="<f8"); tx = np.fromfile(path + "/tx.f64", dtype="<f8")
T = np.fromfile(path + "/T.f64", dtype="<f8"); m = np.fromfile(path + "/m.f64", dtype="<f8")
def bg(lp):
    r, al, a, b = np.exp(lp)
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(al)
    A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    A3 = -(r + x) * np.log(al + T)
    A4 = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(tx + al)
    mx = np.maximum(A3, A4); e3 = np.exp(A3 - mx); e4 = np.exp(A4 - mx) * (x > 0); s = e3 + e4; w = e4 / s
    ll = A1 + A2 + np.log(s) + mx
    gr = digamma(r + x) - digamma(r) + np.log(al) - (1 - w) * np.log(al + T) - w * np.log(al + tx)
    ga = r / al - (r + x) * ((1 - w) / (al + T) + w / (al + tx))
    gA = digamma(a + b) - digamma(a + b + x) + w / a
    gb = digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x) - w / (b + np.maximum(x, 1) - 1)
    g = np.array([gr.sum() * r, ga.sum() * al, gA.sum() * a, gb.sum() * b])
    return -ll.mean(), -g / len(x)
k = x > 0; gx = x[k]; gm = m[k]
def gg(lp):
    p, q, v = np.exp(lp); px = p * gx
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(gm) + px * np.log(gx) - (px + q) * np.log(gx * gm + v)
    gp = gx * (digamma(px + q) - digamma(px) + np.log(gm) + np.log(gx) - np.log(gx * gm + v))
    gq = digamma(px + q) - digamma(q) + np.log(v) - np.log(gx * gm + v)
    gv = q / v - (px + q) / (gx * gm + v)
    return -ll.mean(), -np.array([gp.sum() * p, gq.sum() * q, gv.sum() * v]) / len(gx)
out = {"bg": [], "gg": []}
for _ in range(repeats):
    t0 = time.perf_counter(); rb = minimize(bg, np.zeros(4), jac=True, method="BFGS", tol=1e-7); out["bg"].append(time.perf_counter() - t0)
    t0 = time.perf_counter(); rg = minimize(gg, np.zeros(3), jac=True, method="BFGS", tol=1e-7); out["gg"].append(time.perf_counter() - t0)
out["bg_params"] = np.exp(rb.x).tolist(); out["bg_ll"] = float(-rb.fun * len(x)); out["bg_iterations"] = int(rb.nit)
out["gg_params"] = np.exp(rg.x).tolist(); out["gg_ll"] = float(-rg.fun * len(gx)); out["gg_iterations"] = int(rg.nit)
print(json.dumps(out))
`;
import { ownPeakRss } from './peak-rss.ts';

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const v = at >= 0 ? Number(argv[at + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function python(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) if (spawnSync(p, ['-c', 'import scipy, numpy'], { encoding: 'utf8' }).status === 0) return p;
  return null;
}

/** Runs the clv bench. */
export async function run(options: BenchOptions): Promise<void> {
  const n = flag(options.argv, 'customers', 100_000);
  const repeats = flag(options.argv, 'repeats', 3);
  const sim = simulateCustomers({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, { customers: n, minT: 20, maxT: 60, spend: { p: 6, q: 4, v: 15 } }, createRng(18));
  const keep = Array.from(sim.frequency, (x, i) => (x > 0 ? i : -1)).filter((i) => i >= 0);
  const gx = Float64Array.from(keep, (i) => sim.frequency[i]!);
  const gm = Float64Array.from(keep, (i) => sim.monetary[i]!);
  const py = python();
  const dir = mkdtempSync(join(tmpdir(), 'clv-bench-'));
  const peer: { bg: number[]; gg: number[]; bg_params?: number[]; bg_ll?: number; gg_params?: number[]; gg_ll?: number; bg_iterations?: number; gg_iterations?: number } = { bg: [], gg: [] };
  const oursBg: number[] = [];
  const oursGg: number[] = [];
  let heapGrowth = 0;
  let bgFit = fitBgNbd(sim);
  let ggFit = fitGammaGamma(gx, gm);
  try {
    for (const [name, v] of [['x', sim.frequency], ['tx', sim.recency], ['T', sim.T], ['m', sim.monetary]] as const) writeFileSync(join(dir, `${name}.f64`), Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    for (let k = 0; k < repeats; k++) {
      const heap0 = process.memoryUsage().heapUsed;
      let t0 = performance.now();
      bgFit = fitBgNbd(sim);
      oursBg.push((performance.now() - t0) / 1000);
      heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - heap0);
      t0 = performance.now();
      ggFit = fitGammaGamma(gx, gm);
      oursGg.push((performance.now() - t0) / 1000);
      if (py) {
        const res = spawnSync(py, ['-c', PEER, dir, String(n), '1'], { encoding: 'utf8', maxBuffer: 1 << 24 });
        if (res.status === 0) {
          const out: unknown = JSON.parse(res.stdout);
          if (typeof out === 'object' && out !== null) {
            const bg: unknown = Reflect.get(out, 'bg');
            const gg: unknown = Reflect.get(out, 'gg');
            if (Array.isArray(bg) && Array.isArray(gg)) {
              peer.bg.push(Number(bg[0]));
              peer.gg.push(Number(gg[0]));
            }
            for (const key of ['bg_params', 'gg_params', 'bg_ll', 'gg_ll', 'bg_iterations', 'gg_iterations'] as const) Reflect.set(peer, key, Reflect.get(out, key));
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const full = fitLifetimeValue({ ids: Array.from({ length: n }, (_, i) => String(i)), ...sim });
  const t0 = performance.now();
  scoreLifetimeValue(paramsOfModel(full.model), { ids: Array.from({ length: n }, (_, i) => String(i)), ...sim }, { horizon: 26, months: 12, discountRate: 0.01, periodsPerMonth: 4.345 });
  const scoreSeconds = (performance.now() - t0) / 1000;
  const bgS = median(oursBg);
  const ggS = median(oursGg);
  const peerBg = peer.bg.length > 0 ? median(peer.bg) : null;
  const peerGg = peer.gg.length > 0 ? median(peer.gg) : null;
  const round = (v: number | null, d = 4): number | null => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(d)));
  report(
    {
      suite: 'clv',
      case: `fit ${n.toLocaleString('en')} customers`,
      customers: n,
      returning: keep.length,
      repeats,
      bgnbd_s: round(bgS),
      gamma_gamma_s: round(ggS),
      fit_total_s: round(bgS + ggS),
      goal_fit_total_s: 2,
      bgnbd_iterations: bgFit.iterations,
      gamma_gamma_iterations: ggFit.iterations,
      bgnbd_r: round(bgFit.params.r),
      bgnbd_alpha: round(bgFit.params.alpha),
      bgnbd_a: round(bgFit.params.a),
      bgnbd_b: round(bgFit.params.b),
      bgnbd_ll: round(bgFit.logLikelihood, 3),
      gg_p: round(ggFit.params.p),
      gg_q: round(ggFit.params.q),
      gg_v: round(ggFit.params.v),
      score_all_s: round(scoreSeconds),
      peak_rss_mb: Math.round(ownPeakRss() / 1048576),
      fit_heap_growth_mb: round(heapGrowth / 2 ** 20, 1),
      peer: py ? `numpy/SciPy transcription of lifetimes 0.11.3 (lifetimes not installed), ${py}` : 'unavailable (no python3 with scipy)',
      peer_bgnbd_s: round(peerBg),
      peer_gamma_gamma_s: round(peerGg),
      peer_bgnbd_iterations: peer.bg_iterations ?? null,
      peer_bgnbd_ll: round(peer.bg_ll ?? null, 3),
      peer_gg_p: round(peer.gg_params?.[0] ?? null),
      ratio_bgnbd: peerBg ? round(bgS / peerBg, 3) : null,
      ratio_gamma_gamma: peerGg ? round(ggS / peerGg, 3) : null,
      ratio_total: peerBg && peerGg ? round((bgS + ggS) / (peerBg + peerGg), 3) : null,
    },
    options.json,
  );
}
