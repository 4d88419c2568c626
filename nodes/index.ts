/**
 * The flat registry of every node kind. Adding a node kind: one file in nodes/, one import
 * and one entry here, and its test in tests/nodes/.
 */
import type { AnyNodeSpec } from '../src/engine/node.ts';
import { registryOf, type NodeRegistry } from '../src/engine/validate.ts';
import { load } from './load.ts';
import { clean } from './clean.ts';
import { anonymise } from './anonymise.ts';
import { features } from './features.ts';
import { normalise } from './normalise.ts';
import { weight } from './weight.ts';
import { sequence } from './sequence.ts';
import { lstm } from './lstm.ts';
import { classify } from './classify.ts';
import { evaluate } from './evaluate.ts';
import { segment } from './segment.ts';
import { recommend } from './recommend.ts';
import { decide } from './decide.ts';
import { rules } from './rules.ts';
import { cohorts } from './cohorts.ts';
import { clv } from './clv.ts';
import { explain } from './explain.ts';

/** Every node kind, in palette order. */
export const nodeKinds: readonly AnyNodeSpec[] = [load, clean, anonymise, features, normalise, weight, sequence, lstm, classify, clv, evaluate, explain, segment, rules, cohorts, recommend, decide];

/** Node kinds by kind name. */
export const nodeRegistry: NodeRegistry = registryOf(nodeKinds);
