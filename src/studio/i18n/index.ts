/**
 * Message lookup: `translate(locale, key, values)` fills `{name}` placeholders. The page keeps
 * the current locale in a reactive store (locale.svelte.ts); this module is pure.
 */
import { en, type Catalogue, type MessageKey } from './en.ts';
import { zh, zhKinds } from './zh.ts';
import { zhParamGroups, zhParams, type ZhParam } from './params-zh.ts';
import { zhIssueMessages } from './messages-zh.ts';
import { formatMessage, type InsightIssue } from '../../engine/errors.ts';

/** The languages the studio speaks. */
export const locales = ['en', 'zh'] as const;

/** One supported language. */
export type Locale = (typeof locales)[number];

/** Catalogue by locale. */
export const catalogues: Readonly<Record<Locale, Catalogue>> = { en, zh };

/** Values for placeholders. */
export type MessageValues = Readonly<Record<string, string | number>>;

/** The message for a key in a locale, placeholders filled; unknown placeholders stay visible. */
export function translate(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const template = catalogues[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/** The placeholders a template uses, sorted (for catalogue consistency checks). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** A node kind's label in a locale (the catalog's English label when there is no translation). */
export function kindLabel(locale: Locale, kind: string, englishLabel: string): string {
  if (locale === 'zh' && Object.hasOwn(zhKinds, kind)) return zhKinds[kind]?.label ?? englishLabel;
  return englishLabel;
}

/** A node kind's description in a locale (English from the catalog when there is no translation). */
export function kindDescription(locale: Locale, kind: string, englishDescription: string): string {
  if (locale === 'zh' && Object.hasOwn(zhKinds, kind)) return zhKinds[kind]?.description ?? englishDescription;
  return englishDescription;
}

/** `table[kind][key]` through own properties only (so `toString` is no kind or param), or undefined. */
function ownEntry<T>(table: Readonly<Record<string, Readonly<Record<string, T>>>>, kind: string, key: string): T | undefined {
  if (!Object.hasOwn(table, kind)) return undefined;
  const entries = table[kind];
  return entries && Object.hasOwn(entries, key) ? entries[key] : undefined;
}

/** A param's translation in a locale, if there is one. */
function paramEntry(locale: Locale, kind: string, param: string): ZhParam | undefined {
  return locale === 'zh' ? ownEntry(zhParams, kind, param) : undefined;
}

/** A param's field label in a locale (the declaration's English label when there is no translation). */
export function paramLabel(locale: Locale, kind: string, param: string, englishLabel: string): string {
  return paramEntry(locale, kind, param)?.label ?? englishLabel;
}

/** A param's help text in a locale (English when there is no translation; none when English has none). */
export function paramHelp(locale: Locale, kind: string, param: string, englishHelp: string | undefined): string | undefined {
  if (englishHelp === undefined) return undefined;
  return paramEntry(locale, kind, param)?.help ?? englishHelp;
}

/** A param's unit in a locale (English when there is no translation; none when English has none). */
export function paramUnit(locale: Locale, kind: string, param: string, englishUnit: string | undefined): string | undefined {
  if (englishUnit === undefined) return undefined;
  return paramEntry(locale, kind, param)?.unit ?? englishUnit;
}

/** An inspector group heading (`meta.group`) in a locale (English when there is no translation). */
export function paramGroup(locale: Locale, kind: string, englishGroup: string): string {
  return (locale === 'zh' ? ownEntry(zhParamGroups, kind, englishGroup) : undefined) ?? englishGroup;
}

/**
 * An engine issue's message in a locale: in Chinese, the issue code's Chinese template filled
 * from `issue.values` the way the engine fills the English one (strings quoted); the English
 * `issue.message` when the locale is English, the code has no Chinese template, or a
 * placeholder has no value.
 */
export function issueMessage(locale: Locale, issue: Pick<InsightIssue, 'code' | 'message' | 'values'>): string {
  if (locale !== 'zh' || !Object.hasOwn(zhIssueMessages, issue.code)) return issue.message;
  const template = zhIssueMessages[issue.code];
  const values = issue.values ?? {};
  if (template === undefined || placeholders(template).some((name) => !Object.hasOwn(values, name))) return issue.message;
  return formatMessage(template, values);
}

/** Whether a string names a supported locale. */
export function isLocale(value: string): value is Locale {
  return (locales as readonly string[]).includes(value);
}

/** The best locale for a list of browser languages (e.g. navigator.languages). */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0] ?? '';
    if (isLocale(base)) return base;
  }
  return 'en';
}
