/**
 * Node summaries ("19,134 rows × 6 columns", "k = 6 · silhouette 0.308") in Chinese: the
 * engine writes them in English from each node's `summary`; the canvas shows them through this
 * phrase table. Numbers and names pass through; a phrase the table does not know stays English.
 */

/** English phrases of node summaries and their Chinese, longest first so phrases win over words. */
const phrases: readonly [RegExp, string][] = [
  [/^([\d,]+) customers explained$/g, '已解释 $1 位客户'],
  [/\breport lines?\b/g, '条报告'],
  [/\bskewed log-scaled\b/g, '偏态列已取对数'],
  [/\bbecause you bought\b/g, '因为您购买过'],
  [/\bpopular in your segment\b/g, '在您所在客户群中热门'],
  [/\bbought by\b/g, '购买比例'],
  [/\bof customers\b/g, '的客户'],
  [/\bof it\b/g, '的该群客户'],
  [/^popular:/g, '热门：'],
  [/\bapplied saved model\b/g, '已应用保存的模型'],
  [/\bbefore (\d{4}-\d{2}-\d{2})\b/g, '$1 之前'],
  [/\bbest of (\d+)/g, '$1 个模型中最佳'],
  [/\bbest (\d\.\d+): /g, '最佳 $1：'],
  [/\bmeasured:/g, '实测：'],
  [/\bforced\b/g, '指定'],
  [/\bcached\b/g, '缓存'],
  [/\bsoftware\b/g, '软件'],
  [/\bvs popular\b/g, '（相对热门推荐）'],
  [/\bweights on\b/g, '权重，作用于'],
  [/\bpositive\b/g, '为正例'],
  [/\brows\b/g, '行'],
  [/\brow\b/g, '行'],
  [/\bcolumns\b/g, '列'],
  [/\bcolumn\b/g, '列'],
  [/\bcustomers\b/g, '位客户'],
  [/\bsegments\b/g, '个客户群'],
  [/\bfeatures\b/g, '个特征'],
  [/\bsequences\b/g, '条序列'],
  [/\bweeks\b/g, '周'],
  [/\bdays\b/g, '天'],
  [/\bmonths\b/g, '月'],
  [/\bscored\b/g, '已评分'],
  [/\bbaseline\b/g, '基线'],
  [/\bsilhouette\b/g, '轮廓系数'],
  [/\brecall\b/g, '召回率'],
  [/\btyped\b/g, '类型'],
  [/\bentropy\b/g, '熵权'],
  [/\bequal\b/g, '等权'],
  [/\bon\b/g, '作用于'],
];

/** A node summary in `locale` ('zh' through the phrase table, otherwise as written). */
export function summaryText(locale: string, english: string): string {
  if (locale !== 'zh') return english;
  let out = english;
  for (const [pattern, zh] of phrases) out = out.replace(pattern, zh);
  return out;
}

/** The storage meter's line ("1.2 MB of 2 GB used (0.1%) · kept by the browser") in `locale`. */
export function storageText(locale: string, english: string): string {
  if (locale !== 'zh') return english;
  return english
    .replace('Storage use unknown', '存储用量未知')
    .replace(/^(.+?) of (.+?) used/, '已用 $1 / 共 $2')
    .replace(/^(.+?) used/, '已用 $1')
    .replace(' · kept by the browser', ' · 浏览器会保留')
    .replace(' · may be cleared by the browser under pressure', ' · 空间紧张时浏览器可能清除');
}

/** Words of generated segment names (src/ml/segment-naming.ts) and their Chinese. */
const segmentWords: readonly [RegExp, string][] = [
  [/^No segment$/, '无分群'],
  [/^Average customers$/, '普通客户'],
  [/^Customers with high (.+)$/, '$1 偏高的客户'],
  [/^Customers with low (.+)$/, '$1 偏低的客户'],
  [/\bhigh spenders\b/gi, '高消费客户'],
  [/\blow spenders\b/gi, '低消费客户'],
  [/\bnewcomers\b/gi, '新客户'],
  [/\bregulars\b/gi, '常客'],
  [/\bone-timers\b/gi, '一次性购买客户'],
  [/\bcustomers\b/gi, '客户'],
  [/^Recent /, '近期'],
  [/^Lapsing /, '流失中的'],
  [/\bhome kitchen shoppers\b/gi, '家居厨房类购物者'],
  [/\bsports outdoors shoppers\b/gi, '运动户外类购物者'],
  [/\bhealth wellness shoppers\b/gi, '健康类购物者'],
  [/\btoys games shoppers\b/gi, '玩具游戏类购物者'],
  [/\bfurniture shoppers\b/gi, '家具类购物者'],
  [/\belectronics shoppers\b/gi, '电子产品类购物者'],
  [/\bfashion shoppers\b/gi, '时尚类购物者'],
  [/\bgrocery shoppers\b/gi, '食品杂货类购物者'],
  [/\bbeauty shoppers\b/gi, '美妆类购物者'],
  [/\bbooks shoppers\b/gi, '图书类购物者'],
  [/\b(\w+) shoppers\b/gi, '$1 类购物者'],
  [/ \(/g, '（'],
  [/\)/g, '）'],
];

/** A generated segment name ("High spenders (furniture shoppers)") in `locale`; unknown words stay. */
export function segmentNameText(locale: string, english: string): string {
  if (locale !== 'zh') return english;
  let out = english;
  for (const [pattern, zh] of segmentWords) out = out.replace(pattern, zh);
  return out;
}
