/** The page's current language as reactive state, and `t` bound to it. */
import type { MessageKey } from './en.ts';
import type { InsightIssue } from '../../engine/errors.ts';
import type { NodeText } from '../../engine/node.ts';
import { issueMessage, kindDescription, kindLabel, nodeTexts, paramGroup, paramHelp, paramLabel, paramUnit, translate, type Locale, type MessageValues, type NodeTexts } from './index.ts';

/** Reactive locale holder; components read `t` so they re-render when the language changes. */
export class Localiser {
  /** Current language. */
  locale = $state<Locale>('en');

  /** The node kinds' declared Chinese text, from the engine's catalog. */
  texts = $state.raw<NodeTexts>(new Map());

  constructor(initial: Locale) {
    this.locale = initial;
  }

  /** Takes the node kinds' declared text from the engine's catalog. */
  useKinds = (kinds: readonly { kind: string; zh?: NodeText }[]): void => {
    this.texts = nodeTexts(kinds);
  };

  /** The message for a key in the current language. */
  t = (key: MessageKey, values?: MessageValues): string => translate(this.locale, key, values);

  /** A node kind's label in the current language. */
  kindLabel = (kind: string, english: string): string => kindLabel(this.locale, this.texts, kind, english);

  /** A node kind's description in the current language. */
  kindDescription = (kind: string, english: string): string => kindDescription(this.locale, this.texts, kind, english);

  /** A param's field label in the current language. */
  paramLabel = (kind: string, param: string, english: string): string => paramLabel(this.locale, this.texts, kind, param, english);

  /** A param's help text in the current language (undefined when the param has none). */
  paramHelp = (kind: string, param: string, english: string | undefined): string | undefined => paramHelp(this.locale, this.texts, kind, param, english);

  /** A param's unit in the current language (undefined when the param has none). */
  paramUnit = (kind: string, param: string, english: string | undefined): string | undefined => paramUnit(this.locale, this.texts, kind, param, english);

  /** An inspector group heading in the current language. */
  paramGroup = (kind: string, english: string): string => paramGroup(this.locale, this.texts, kind, english);

  /** An engine issue's message in the current language (English where there is no translation). */
  issueMessage = (issue: Pick<InsightIssue, 'code' | 'message' | 'values'>): string => issueMessage(this.locale, this.texts, issue);
}
