/**
 * Names of evaluation metrics, curve axes and metric tables in words, per language (the
 * engine writes keys such as `roc_auc`); a key this table does not know is shown as written.
 */
import type { Locale } from '../i18n/index.ts';

const names: ReadonlyMap<string, readonly [string, string]> = new Map([
  ['n', ['customers evaluated', '评估的客户数']],
  ['positives', ['positives (label 1)', '正例（标签 1）']],
  ['threshold', ['decision threshold', '判定阈值']],
  ['accuracy', ['accuracy', '准确率']],
  ['precision', ['precision', '精确率']],
  ['recall', ['recall', '召回率']],
  ['f1', ['F1', 'F1']],
  ['roc_auc', ['ROC AUC', 'ROC AUC']],
  ['pr_auc', ['PR AUC', 'PR AUC']],
  ['log_loss', ['log loss', '对数损失']],
  ['brier', ['Brier score', 'Brier 分数']],
  ['folds', ['folds', '折数']],
  ['roc_auc_fold_mean', ['ROC AUC, mean over folds', 'ROC AUC（各折均值）']],
  ['roc_auc_fold_std', ['ROC AUC, std over folds', 'ROC AUC（各折标准差）']],
  ['baseline_roc_auc', ['baseline ROC AUC', '基线 ROC AUC']],
  ['baseline_pr_auc', ['baseline PR AUC', '基线 PR AUC']],
  ['roc_auc_lift', ['ROC AUC over baseline', '相对基线的 ROC AUC 提升']],
  ['hit_rate', ['hit rate', '命中率']],
  ['map', ['MAP', 'MAP']],
  ['popularity_hit_rate', ['popular items: hit rate', '热门推荐：命中率']],
  ['popularity_recall', ['popular items: recall', '热门推荐：召回率']],
  ['popularity_map', ['popular items: MAP', '热门推荐：MAP']],
  ['hit_rate_ratio', ['hit rate ÷ popular', '命中率 ÷ 热门']],
  ['recall_ratio', ['recall ÷ popular', '召回率 ÷ 热门']],
  ['map_ratio', ['MAP ÷ popular', 'MAP ÷ 热门']],
  ['evaluated_customers', ['customers evaluated', '评估的客户数']],
  ['fpr', ['false positive rate', '假正例率']],
  ['tpr', ['true positive rate (recall)', '真正例率（召回率）']],
  ['mean_score', ['mean predicted probability', '平均预测概率']],
  ['observed_rate', ['observed purchase rate', '实际购买率']],
  ['folds_table', ['Per fold', '各折结果']],
  ['fold_summary', ['Across folds', '跨折汇总']],
  ['baseline', ['Model against baseline', '模型与基线对比']],
  ['comparison', ['Against popular items', '与热门推荐对比']],
]);

/** A metric key, axis column or metric table in words in `locale` (the key itself when unknown). */
export function metricName(locale: Locale, key: string): string {
  const entry = names.get(key);
  return entry ? entry[locale === 'zh' ? 1 : 0] : key;
}
