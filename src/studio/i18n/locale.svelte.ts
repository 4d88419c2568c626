/** The page's current language as reactive state, and `t` bound to it. */
import type { MessageKey } from './en.ts';
import { kindDescription, kindLabel, translate, type Locale, type MessageValues } from './index.ts';

/** Reactive locale holder; components read `t` so they re-render when the language changes. */
export class Localiser {
  /** Current language. */
  locale = $state<Locale>('en');

  constructor(initial: Locale) {
    this.locale = initial;
  }

  /** The message for a key in the current language. */
  t = (key: MessageKey, values?: MessageValues): string => translate(this.locale, key, values);

  /** A node kind's label in the current language. */
  kindLabel = (kind: string, english: string): string => kindLabel(this.locale, kind, english);

  /** A node kind's description in the current language. */
  kindDescription = (kind: string, english: string): string => kindDescription(this.locale, kind, english);
}
