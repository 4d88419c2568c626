/**
 * The decide node's declared strategy texts in the page's language: the node writes its rules'
 * strategy, action and condition in English; the report shows them in Chinese by rule id
 * (rules the catalogue does not know stay as the node wrote them).
 */
import type { Locale } from '../i18n/index.ts';

/** Chinese strategy, action and condition of each declared rule, by rule id. */
const zhRules: ReadonlyMap<string, { strategy: string; action: string; condition: (english: string) => string }> = new Map([
  ['nurture-new', { strategy: '培育新客户', action: '新手引导旅程与第二次购买激励。', condition: (e: string) => e }],
  ['win-back', { strategy: '赢回流失客户', action: '带有过往偏好提醒的重新激活优惠。', condition: (e: string) => e }],
  ['retain-valuable', { strategy: '留住最有价值的客户', action: '会员权益、优先服务与抢先体验，而不是折扣。', condition: (e: string) => e }],
  ['upsell', { strategy: '追加销售', action: '交叉销售推荐的商品。', condition: (e: string) => (/^always/.test(e) ? '总是（前面的规则均不成立）' : e) }],
  ['no-segment', { strategy: '触达分群之外的客户', action: '不在 segments 输入中（常见原因：尚未购买）：欢迎优惠或首购激励，按购买概率定向。', condition: () => '有预测但没有分群' }],
]);

/** Role names inside conditions such as `z(recency) ≥ 0.5`. */
const zhRoles: ReadonlyMap<string, string> = new Map([
  ['recency', '最近购买间隔'],
  ['tenure', '客户时长'],
  ['monetary', '消费金额'],
  ['frequency', '购买频次'],
]);

/** A rule's strategy, action or condition text in `locale`; `english` is what the node wrote. */
export function strategyText(locale: Locale, rule: string, field: 'strategy' | 'action' | 'condition', english: string): string {
  if (locale !== 'zh') return english;
  const entry = zhRules.get(rule);
  if (!entry) return english;
  if (field === 'condition') return entry.condition(english).replace(/z\((\w+)\)/g, (whole, role: string) => `z(${zhRoles.get(role) ?? role})`);
  return entry[field];
}

/** The evidence the decide node wrote for a segment's rule ("none held: …", "always", the figures), in `locale`: in Chinese its words are translated, its figures kept. */
export function evidenceText(locale: Locale, english: string): string {
  if (locale !== 'zh') return english;
  if (english === 'always') return '总是';
  if (english === 'not in the segments input') return '不在 segments 输入中';
  return english.replace(/^none held: /, '前面的规则均不成立：');
}
