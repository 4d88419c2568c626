/**
 * The explain node's LSTM branch (nodes/explain.ts loads this file for an LSTM model only, so
 * that explaining a classify model, or a pipeline without Explain, never loads TensorFlow.js):
 * integrated gradients per customer with the completeness check, top reasons in words and
 * permutation importance per feature and per period.
 */
import { applyScaler } from '../../src/data/sequences.ts';
import type { ExplanationsValue } from '../../src/engine/ports.ts';
import { explanationTables, featureTextOf, topReasons } from '../../src/ml/explain-reasons.ts';
import { lstmArtifacts } from '../../src/ml/lstm/artifacts.ts';
import { meanSequence } from '../../src/ml/lstm/attribution.ts';
import { refinedIntegratedGradients } from '../../src/ml/lstm/attribution-task.ts';
import { lstmPermutationImportance } from '../../src/ml/lstm/importance.ts';
import { sequenceGroups } from '../../src/ml/permutation-importance.ts';
import type { ModelValue, NodeContext, Sequences } from '../define.ts';
import { COMPLETENESS_TOLERANCE, MAX_POINTS, relativeGaps, type ExplainParams } from '../explain.ts';

/** Explains an LSTM model on its sequences (the `labelled` sequences, when given, for global importance). */
export async function explainLstm(inputs: { sequences?: Sequences | undefined; model: ModelValue; labelled?: Sequences | undefined }, params: ExplainParams, ctx: NodeContext): Promise<{ explanations: ExplanationsValue }> {
  const { sequences, model } = inputs;
  const a = lstmArtifacts(model);
  if (!a) return ctx.fail('unsupportedModel', { kind: model.kind }, 'model');
  if (!sequences) return ctx.fail('needSequences', {}, 'sequences');
  const s = sequences;
  if (a.weights.features !== s.features || a.steps !== s.steps) ctx.fail('shapeMismatch', { modelSteps: a.steps, modelFeatures: a.weights.features, steps: s.steps, features: s.features }, 'model');
  const { n, steps: T, features: D } = s;
  if (n === 0) ctx.warn('noCustomers');
  const x = applyScaler(a.scaler, s.x, n, T, D);
  const labelled = Array.from({ length: n }, (_, i) => i).filter((i) => (s.labels[i] ?? NaN) === 0 || (s.labels[i] ?? NaN) === 1);
  const cell = T * D;
  const pick = (rows: readonly number[]): Float32Array => {
    const out = new Float32Array(rows.length * cell);
    rows.forEach((r, i) => out.set(x.subarray(r * cell, (r + 1) * cell), i * cell));
    return out;
  };
  const baselineRows = labelled.length > 0 ? labelled : Array.from({ length: n }, (_, i) => i);
  const baseline = params.baseline === 'mean' ? meanSequence(pick(baselineRows), baselineRows.length, T, D) : new Float32Array(cell);
  const backend = typeof model.metadata.backend === 'string' ? model.metadata.backend : '';
  const ig = await refinedIntegratedGradients(a.weights, x, n, T, D, { points: params.steps, baseline, backend, pool: ctx.host.pool, signal: ctx.signal, onProgress: (f) => ctx.progress(0.7 * f, 'integrated gradients'), tolerance: COMPLETENESS_TOLERANCE, maxPoints: MAX_POINTS });
  const gap = relativeGaps(ig.gap, ig.scores, () => ig.baselineScore);
  if (gap.missed > 0) ctx.warn('completeness', { steps: Math.max(...ig.points), count: gap.missed, worst: Number((100 * gap.worst).toFixed(2)) });
  const importance: { kind: string; name: string; drop: number; sd: number }[] = [];
  let baseAuc: number | null = null;
  let measured = 'none';
  // Global importance on the labelled sequences: the `labelled` input (the LSTM's training sequences) or these.
  const source = inputs.labelled ?? s;
  if (source.features !== D || source.steps !== T) return ctx.fail('shapeMismatch', { modelSteps: a.steps, modelFeatures: a.weights.features, steps: source.steps, features: source.features }, 'labelled');
  const sourceLabels = Array.from(source.labels).filter((y) => y === 0 || y === 1);
  if (params.repeats > 0 && sourceLabels.includes(0) && sourceLabels.includes(1)) {
    const { byFeature, byStep } = sequenceGroups(T, D, s.featureNames, (t) => s.stepLabels[t] ?? `period ${t + 1}`);
    const result = await lstmPermutationImportance(a, source, [...byFeature, ...byStep], { repeats: params.repeats, seed: ctx.random.uint32(), backend, pool: ctx.host.pool, signal: ctx.signal, onProgress: (f) => ctx.progress(0.7 + 0.3 * f, 'permutation importance') });
    baseAuc = result.baseAuc;
    measured = result.outOfFold ? `permutation on ${result.rows} labelled customers, each scored by the fold model that held it out (out of fold)` : 'permutation on the labelled customers, scored by the explained (final) model: in-sample';
    result.groups.forEach((g, i) => importance.push({ kind: i < D ? 'feature' : 'period', name: g.name, drop: g.drop, sd: g.sd }));
  } else if (params.repeats > 0) ctx.warn('noImportance');
  const reasons = topReasons({ x: s.x, attributions: ig.attributions, n, steps: T, features: D, featureNames: s.featureNames, featureText: featureTextOf(s.meta, D), period: String(s.meta.period ?? 'period'), recent: params.recent, top: params.top });
  const tables = explanationTables({ ids: s.ids.slice(0, n), score: ig.scores, output: ig.scores, baselineOutput: ig.baselineScore, gap: gap.relative, reasons, top: params.top, importance });
  return {
    explanations: {
      ...tables,
      cells: { steps: T, features: D, featureNames: s.featureNames.slice(), stepLabels: s.stepLabels.slice(), values: ig.attributions, inputs: s.x.slice(0, n * T * D) },
      detail: {
        method: 'integrated gradients',
        unit: 'probability',
        baseline: params.baseline,
        steps: params.steps,
        customersRefined: ig.points.filter((m) => m > params.steps).length,
        mostPoints: ig.points.reduce((m, p) => Math.max(m, p), params.steps),
        baselineScore: ig.baselineScore,
        worstCompletenessGap: gap.worst,
        customersOverTolerance: gap.missed,
        importance: measured,
        baseAuc,
        repeats: params.repeats,
      },
    },
  };
}
