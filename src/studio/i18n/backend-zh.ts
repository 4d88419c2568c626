/**
 * Why a compute backend was passed over, in Chinese: the worker writes the reasons in English
 * ("failed to initialise", "software adapter (…): used only where …"); the toolbar's backend
 * line shows them through this phrase table. Adapter names and the browser's own error text
 * pass through; a reason the table does not know stays as written.
 */

/** English backend reasons and their Chinese, whole-reason patterns. */
const reasons: readonly [RegExp, string][] = [
  [/^software adapter \((.+)\): used only where the LSTM probe measures it faster than wasm$/, '软件适配器（$1）：仅当 LSTM 探测测得它比 wasm 快时才使用'],
  [/^not available in this environment$/, '此环境中不可用'],
  [/^failed to initialise$/, '初始化失败'],
  [/^computed (.+) instead of 12$/, '试算结果为 $1，而不是 12'],
];

/** A backend's reason for being passed over, in `locale` ('zh' through the table, otherwise as written). */
export function backendReasonText(locale: string, english: string): string {
  if (locale !== 'zh') return english;
  for (const [pattern, zh] of reasons) if (pattern.test(english)) return english.replace(pattern, zh);
  return english;
}
