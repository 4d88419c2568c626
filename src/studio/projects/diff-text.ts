/**
 * The version list's and the file check's differences as sentences in the page's language:
 * node kinds and params by their translated labels, node ids, port names and column names as
 * written (they are the person's data).
 */
import type { MessageKey } from '../i18n/en.ts';
import type { MessageValues } from '../i18n/index.ts';
import type { DocumentDiff } from '../../storage/version-diff.ts';
import type { FingerprintDifference } from '../../storage/fingerprint.ts';
import { msg, type Msg } from './session-text.ts';

/** What wording a diff needs from the localiser. */
export interface DiffWords {
  /** The page's language. */
  locale: string;
  /** A catalogue message in the page's language. */
  t: (key: MessageKey, values?: MessageValues) => string;
  /** A node kind's label (the kind as written where there is no translation). */
  kindLabel: (kind: string, english: string) => string;
  /** A param's label (the param's name as written where there is no translation). */
  paramLabel: (kind: string, param: string, english: string) => string;
}

/** The document fields a diff names, by their catalogue words. */
const fieldKeys = new Map<string, MessageKey>([['name', 'diff.field.name'], ['description', 'diff.field.description'], ['seed', 'diff.field.seed'], ['notes', 'diff.field.notes']]);

/** One line per difference between two versions, in the order fields, added, removed, changed, connected, disconnected. */
export function diffLines(diff: DocumentDiff, words: DiffWords): string[] {
  const { t } = words;
  const zh = words.locale === 'zh';
  const list = (items: readonly string[]): string => items.join(zh ? '、' : ', ');
  const kind = (k: string): string => words.kindLabel(k, k);
  const out: string[] = [];
  for (const f of diff.fields) {
    const key = fieldKeys.get(f);
    out.push(t('diff.changedField', { field: key ? t(key) : f }));
  }
  for (const n of diff.added) out.push(t('diff.added', { kind: kind(n.kind), id: n.id }));
  for (const n of diff.removed) out.push(t('diff.removed', { kind: kind(n.kind), id: n.id }));
  for (const c of diff.changed) {
    const parts: string[] = [];
    if (c.kindChanged) parts.push(t('diff.partKind'));
    if (c.params.length > 0) parts.push(t('diff.partParams', { params: list(c.params.map((p) => words.paramLabel(c.kind, p, p))) }));
    if (c.note) parts.push(t('diff.partNote'));
    if (c.label) parts.push(t('diff.partLabel'));
    if (c.moved) parts.push(t('diff.partPosition'));
    out.push(t('diff.changed', { kind: kind(c.kind), id: c.id, parts: parts.join(zh ? '；' : '; ') }));
  }
  for (const e of diff.edgesAdded) out.push(t('diff.connected', { edge: e }));
  for (const e of diff.edgesRemoved) out.push(t('diff.disconnected', { edge: e }));
  return out;
}

/** A given file's differences from the one a pipeline was built on, as messages (column names quoted as written). */
export function fileDifferenceMsgs(differences: readonly FingerprintDifference[]): Msg[] {
  return differences.map((d) => {
    switch (d.kind) {
      case 'missing':
        return msg(d.columns.length > 1 ? 'file.missingColumns' : 'file.missingColumn', { columns: d.columns.map((c) => JSON.stringify(c)).join(', ') });
      case 'extra':
        return msg(d.columns.length > 1 ? 'file.extraColumns' : 'file.extraColumn', { columns: d.columns.map((c) => JSON.stringify(c)).join(', ') });
      case 'size':
        return msg('file.size', { actual: d.actual, expected: d.expected });
      case 'content':
        return msg('file.content', { actual: d.actual.slice(0, 12), expected: d.expected.slice(0, 12) });
    }
  });
}
