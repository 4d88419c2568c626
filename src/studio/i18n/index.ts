/**
 * Message lookup: `translate(locale, key, values)` fills `{name}` placeholders. The page keeps
 * the current locale in a reactive store (locale.svelte.ts); this module is pure.
 */
import { en, type Catalogue, type MessageKey } from './en.ts';
import { zh } from './zh.ts';
import { zhEngineMessages } from './messages-zh.ts';
import { formatMessage, type InsightIssue } from '../../engine/errors.ts';
import type { NodeText, ParamText } from '../../engine/node.ts';

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

/** Each node kind's declared Chinese text by kind, as the page reads it from the engine's catalog. */
export type NodeTexts = ReadonlyMap<string, NodeText>;

/** Indexes the declared Chinese text of node kinds (a kind without one falls back to English). */
export function nodeTexts(kinds: readonly { kind: string; zh?: NodeText }[]): NodeTexts {
  const out = new Map<string, NodeText>();
  for (const kind of kinds) if (kind.zh) out.set(kind.kind, kind.zh);
  return out;
}

/** A kind's text in a locale: its declared Chinese text in Chinese, none in English. */
function kindText(locale: Locale, texts: NodeTexts, kind: string): NodeText | undefined {
  return locale === 'zh' ? texts.get(kind) : undefined;
}

/** `record[key]` through own properties only (so `toString` is no param or code), or undefined. */
function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A node kind's label in a locale (the catalog's English label when there is no translation). */
export function kindLabel(locale: Locale, texts: NodeTexts, kind: string, englishLabel: string): string {
  return kindText(locale, texts, kind)?.label ?? englishLabel;
}

/** A node kind's description in a locale (English from the catalog when there is no translation). */
export function kindDescription(locale: Locale, texts: NodeTexts, kind: string, englishDescription: string): string {
  return kindText(locale, texts, kind)?.description ?? englishDescription;
}

/** A param's translation in a locale, if there is one. */
function paramEntry(locale: Locale, texts: NodeTexts, kind: string, param: string): ParamText | undefined {
  return ownValue(kindText(locale, texts, kind)?.params, param);
}

/** A param's field label in a locale (the declaration's English label when there is no translation). */
export function paramLabel(locale: Locale, texts: NodeTexts, kind: string, param: string, englishLabel: string): string {
  return paramEntry(locale, texts, kind, param)?.label ?? englishLabel;
}

/** A param's help text in a locale (English when there is no translation; none when English has none). */
export function paramHelp(locale: Locale, texts: NodeTexts, kind: string, param: string, englishHelp: string | undefined): string | undefined {
  if (englishHelp === undefined) return undefined;
  return paramEntry(locale, texts, kind, param)?.help ?? englishHelp;
}

/** A param's unit in a locale (English when there is no translation; none when English has none). */
export function paramUnit(locale: Locale, texts: NodeTexts, kind: string, param: string, englishUnit: string | undefined): string | undefined {
  if (englishUnit === undefined) return undefined;
  return paramEntry(locale, texts, kind, param)?.unit ?? englishUnit;
}

/** An inspector group heading (`meta.group`) in a locale (English when there is no translation). */
export function paramGroup(locale: Locale, texts: NodeTexts, kind: string, englishGroup: string): string {
  return ownValue(kindText(locale, texts, kind)?.groups, englishGroup) ?? englishGroup;
}

/**
 * The Chinese template of an issue code: a node kind's declared message (`<kind>.<code>`, from
 * the kind's own text) or one of the engine's templated codes; undefined when there is none.
 */
export function zhIssueTemplate(texts: NodeTexts, code: string): string | undefined {
  const engine = ownValue(zhEngineMessages, code);
  if (engine !== undefined) return engine;
  const dot = code.indexOf('.');
  return dot < 0 ? undefined : ownValue(texts.get(code.slice(0, dot))?.messages, code.slice(dot + 1));
}

/**
 * An engine issue's message in a locale: in Chinese, the issue code's Chinese template filled
 * from `issue.values` the way the engine fills the English one (strings quoted); the English
 * `issue.message` when the locale is English, the code has no Chinese template, or a
 * placeholder has no value.
 */
export function issueMessage(locale: Locale, texts: NodeTexts, issue: Pick<InsightIssue, 'code' | 'message' | 'values'>): string {
  if (locale !== 'zh') return issue.message;
  const template = zhIssueTemplate(texts, issue.code);
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
