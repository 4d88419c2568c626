/**
 * The formula registry: node kind → explainer. Kinds without an entry show no formula in the
 * notebook. Adding one: a file here and one line below.
 */
import { attributionExplainer } from './attribution.ts';
import { lstmExplainer } from './lstm.ts';
import { normaliseExplainer } from './normalise.ts';
import type { Explainer } from './types.ts';
import { weightExplainer } from './weight.ts';

export type { Explainer, Explanation, ExplainInput } from './types.ts';

/** Explainers by node kind. */
export const explainers: Readonly<Record<string, Explainer>> = {
  normalise: normaliseExplainer,
  weight: weightExplainer,
  lstm: lstmExplainer,
  explain: attributionExplainer,
};

/** The explainer of a kind, if it has one. */
export function explainerFor(kind: string): Explainer | undefined {
  return Object.hasOwn(explainers, kind) ? explainers[kind] : undefined;
}
