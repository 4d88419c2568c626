/** Types shared by the formula explainers (one per node kind that has a formula to show). */
import type { PortPreview } from '../../engine/port-codec.ts';
import type { JsonValue } from '../../engine/ports.ts';
import type { MessageKey } from '../i18n/en.ts';

/** What an explainer is given: the node's params and previews of the ports it asked for. */
export interface ExplainInput {
  /** The node's params as stored (defaults filled in). */
  params: Readonly<Record<string, JsonValue>>;
  /** Previews of the node's inputs (first rows of tables), by input port. */
  inputs: Readonly<Record<string, PortPreview | undefined>>;
  /** Previews of the node's outputs, by output port. */
  outputs: Readonly<Record<string, PortPreview | undefined>>;
}

/** A rendered explanation: a caption (catalogue key + values) and a KaTeX source. */
export interface Explanation {
  /** Caption message key. */
  caption: MessageKey;
  /** Caption placeholder values. */
  values: Record<string, string | number>;
  /** TeX source for KaTeX (display mode). */
  tex: string;
  /** An extra sentence, e.g. saying that numbers are unavailable. */
  note?: { key: MessageKey; values: Record<string, string | number> };
}

/** One node kind's explainer. */
export interface Explainer {
  /** Input ports whose previews it needs. */
  inputs: readonly string[];
  /** Output ports whose previews it needs. */
  outputs: readonly string[];
  /** Builds the explanation, or null when the previews do not hold what it needs. */
  explain(input: ExplainInput): Explanation | null;
}
