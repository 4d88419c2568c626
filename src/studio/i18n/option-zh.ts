/**
 * Chinese names of param option values (stored values stay as declared; the inspector shows
 * "名称（value）" in Chinese so the stored word is still visible). Values without an entry
 * (delimiters, operators, file formats) are shown as they are.
 */

/** Chinese name of each option value the node kinds declare. */
const zhOptions: ReadonlyMap<string, string> = new Map([
  ['file', '文件'], ['sample', '示例数据'], ['url', '网址'], ['auto', '自动'], ['day-first', '日在前'], ['month-first', '月在前'],
  ['integer', '整数'], ['number', '数值'], ['date', '日期'], ['boolean', '布尔'], ['text', '文本'],
  ['starts-with', '开头是'], ['not-starts-with', '开头不是'], ['contains', '包含'], ['not-contains', '不包含'], ['is-missing', '缺失'], ['not-missing', '不缺失'],
  ['keep', '保留'], ['drop-row', '删除该行'], ['mean', '均值'], ['median', '中位数'], ['mode', '众数'], ['constant', '常数'], ['clip', '截断'], ['drop', '删除'],
  ['min-max', '最小-最大'], ['z-score', 'Z 分数'], ['robust', '稳健缩放'], ['typed', '按类型'], ['entropy', '熵权法'],
  ['day', '日'], ['week', '周'], ['month', '月'], ['count', '计数'], ['sum', '求和'], ['horizon', '预测期'], ['column', '列'], ['none', '无'],
  ['log-standard', '对数后标准化'], ['standard', '标准化'], ['balanced', '平衡'], ['kfold', 'k 折交叉验证'], ['holdout', '留出法'],
  ['fast', '快速'], ['layers', 'tf.layers'], ['fixed', '固定'], ['max-f1', '最大 F1'], ['static', '静态'], ['totals', '总计'], ['silhouette', '轮廓系数'],
  ['log', '对数'], ['binary', '二元'], ['log-count', '对数计数'], ['last-basket', '最后一篮'], ['random-item', '随机商品'], ['monetary', '消费金额'], ['score', '得分'], ['whitespace', '空白'],
]);

/** An option value as shown in `locale`. */
export function optionLabel(locale: string, value: string): string {
  if (locale !== 'zh') return value;
  const zh = zhOptions.get(value);
  return zh === undefined || zh === value ? value : `${zh}（${value}）`;
}
