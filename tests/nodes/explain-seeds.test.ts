import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExplanationsValue, ModelValue, Sequences } from '../../src/engine/ports.ts';
import { runNode, syntheticShop, table } from './intent-harness.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

/**
 * The planted-driver checks on several shops, not one seed: in syntheticShop a customer's
 * activity rises or fades over the last 4 of 12 weeks and they buy with p = 0.85 exactly when it
 * rises, so the last 4 weeks are the planted driver.
 */
describe.each([11, 23, 77])('explain on the synthetic shop of seed %i', (seed) => {
  it('closes the completeness gap at the default 32 steps, ranks the planted last 4 weeks top in period importance, and concentrates the top-scored customers’ attributions on them', async () => {
    const shop = syntheticShop(200, seed);
    const seq = await runNode(
      'sequence',
      { idColumn: 'customer_id', timeColumn: 'timestamp', period: 'week', steps: 12, countBy: 'event', cutoff: '2024-04-01', labelSource: 'column', labelColumn: 'label' },
      { table: table(shop.activity.filter((d: { event: string }) => d.event !== 'buy')), customers: table(shop.customers) },
    );
    const sequences = seq.outputs?.sequences as Sequences;
    const lstm = await runNode('lstm', { units: 8, epochs: 10, batchSize: 32, learningRate: 0.02, folds: 2 }, { sequences: { type: 'sequences', value: sequences } }, { backend: 'wasm', seed });
    const model = lstm.outputs?.model as ModelValue;
    const run = await runNode('explain', { repeats: 3 }, { sequences: { type: 'sequences', value: sequences }, model: { type: 'model', value: model } }, { backend: 'wasm', seed });
    const e = run.outputs?.explanations as ExplanationsValue;
    const worst = Number(e.detail.worstCompletenessGap);
    const kinds = Array.from(e.importance.array('kind'), String);
    const names = Array.from(e.importance.array('name'), String);
    const drops = Array.from(e.importance.array('drop'), Number);
    const periods = names.map((name, i) => ({ name, drop: drops[i] ?? 0 })).filter((_, i) => kinds[i] === 'period');
    const last4 = new Set(sequences.stepLabels.slice(-4));
    const ranked = [...periods].sort((a, b) => b.drop - a.drop).map((p) => p.name);
    const { steps: T, features: D, values } = e.cells;
    const scores = Array.from(e.customers.array('score'), Number);
    const top = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 20).map(([, i]) => i);
    let recent = 0;
    let earlier = 0;
    let recentSigned = 0;
    let earlierSigned = 0;
    for (const i of top) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) {
      const a = values[(i * T + t) * D + d] ?? 0;
      if (t >= T - 4) { recent += Math.abs(a); recentSigned += a; } else { earlier += Math.abs(a); earlierSigned += a; }
    }
    const meanDrop = (inLast: boolean): number => {
      const ps = periods.filter((p) => last4.has(p.name) === inLast);
      return ps.reduce((sum, p) => sum + p.drop, 0) / ps.length;
    };
    // Measured on seeds 5, 11, 23, 42, 77: worst gap ≤ 0.054%; the top 2 periods always among the last 4;
    // the last 4 weeks' mean AUC drop 0.016–0.037 against −0.002–0.002 before; per week the top
    // customers' |attribution| is 1.9–6.4× as large in the last 4 weeks, and their signed sum there
    // 2.7–39× the earlier weeks'. (Summed over 4 against 8 weeks, |attribution| is only 48% recent on seed 11.)
    expect(worst).toBeLessThan(0.01);
    expect(ranked.slice(0, 2).every((p) => last4.has(p))).toBe(true);
    expect(meanDrop(true) - meanDrop(false)).toBeGreaterThan(0.01);
    expect(recent / 4).toBeGreaterThan(1.5 * (earlier / (T - 4)));
    expect(recentSigned).toBeGreaterThan(2 * Math.abs(earlierSigned));
  }, 240_000);
});
