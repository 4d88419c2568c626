/**
 * The project session's sentences as catalogue keys with values, so the page shows them in
 * the person's language: a `Msg` is rendered when drawn (values may be nested messages, or
 * lists of them), and English that a lower layer wrote verbatim (the store, the link codec)
 * is kept as `en` so the English text stays exactly that layer's.
 */
import type { MessageKey } from '../i18n/en.ts';
import { translate, type Locale } from '../i18n/index.ts';
import type { InsightIssue } from '../../engine/errors.ts';
import type { DeletableItem } from '../../storage/project-store.ts';

/** A value of a message: text, a number, a nested message or a list of them. */
export type MsgValue = string | number | Msg | readonly Msg[];

/** A sentence for the person: a catalogue key, its values, and optionally the English a lower layer wrote. */
export interface Msg {
  /** Catalogue key. */
  key: MessageKey;
  /** Placeholder values. */
  values?: Readonly<Record<string, MsgValue>>;
  /** English text written by the store or the link codec, shown as is in English. */
  en?: string;
}

/** One line of details: data shown as is, a message, or an engine issue (translated through its code). */
export type DetailLine = string | Msg | { issue: Pick<InsightIssue, 'code' | 'message' | 'values' | 'nodeId' | 'param' | 'port' | 'path'> };

/** Builds a message. */
export function msg(key: MessageKey, values?: Readonly<Record<string, MsgValue>>, en?: string): Msg {
  return { key, ...(values ? { values } : {}), ...(en === undefined ? {} : { en }) };
}

function isMsg(value: MsgValue): value is Msg {
  return typeof value === 'object' && !Array.isArray(value);
}

/** A message in a locale: English from the lower layer where there is one, else the catalogue template with its values (nested ones rendered first). */
export function renderMsg(locale: Locale, m: Msg): string {
  if (locale === 'en' && m.en !== undefined) return m.en;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(m.values ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = value;
    else if (isMsg(value)) values[name] = renderMsg(locale, value);
    else values[name] = value.map((v) => renderMsg(locale, v)).join(locale === 'zh' ? '；' : '; ');
  }
  return translate(locale, m.key, values);
}

/** A details line in a locale; `issueText` translates engine issues (the localiser's `issueMessage`). */
export function renderLine(locale: Locale, line: DetailLine, issueText: (issue: Pick<InsightIssue, 'code' | 'message' | 'values'>) => string): string {
  if (typeof line === 'string') return line;
  if ('issue' in line) return issueText(line.issue);
  return renderMsg(locale, line);
}

/** Detail lines for engine issues (the first five). */
export function issueLines(problems: readonly InsightIssue[]): DetailLine[] {
  return problems.slice(0, 5).map((issue) => ({ issue }));
}

/** What a deletable item is, as a message (its English label kept verbatim). */
export function deletableMsg(item: DeletableItem): Msg {
  const name = item.name ?? '';
  switch (item.kind) {
    case 'binned-project':
      return msg('session.delBinned', { name }, item.label);
    case 'old-versions':
      return msg('session.delVersions', { name, n: item.count ?? 0 }, item.label);
    case 'unused-dataset':
      return msg('session.delDataset', { name }, item.label);
    case 'cached-results':
      return msg('session.delResults', { name }, item.label);
    case 'model':
      return msg('session.delModel', { name, key: item.key ?? '' }, item.label);
  }
}
