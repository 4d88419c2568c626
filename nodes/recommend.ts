/**
 * Recommend: item-item collaborative filtering on the customer × product matrix of implicit
 * counts (src/ml/recommend.ts), products already bought excluded, popularity fallback for
 * customers with no history, optional popularity within the customer's segment; top-N per
 * customer with a score and a reason ("because you bought X"), plus an offline evaluation
 * against popularity in the same run.
 *
 * Product names (for reasons and an `item_name` column) come from `labelColumn` in the
 * transactions, or else from the optional products input (productKey → productName).
 *
 * Rows: one row per purchase line (customer, product, optional quantity, basket, time).
 * Rows without a customer or product, with a missing or non-finite quantity (or time, when the
 * last-basket holdout reads it), or with quantity ≤ 0 (returns, cancellations) are left out and
 * counted in one warning. Repeated
 * (customer, product) pairs add up their quantities.
 *
 * Customers listed: everyone in the transactions, and — when a segments input is connected —
 * every segmented customer without transactions (a cold start: popularity only, within the
 * segment when segment popularity is on).
 *
 * Offline evaluation (src/ml/recommend.ts holdoutSplit, evaluateOffline): last-basket holds
 * out each customer's latest basket (needs a basket column), random-item one seeded product per
 * customer; the model fitted on the rest is compared with popularity (hit-rate, recall, MAP@N).
 */
import { table as makeTable } from 'arquero';
import { defineNode, optional, warning, error, requireColumns, column, integer, number, oneOf, boolean } from './define.ts';
import type { NodeContext } from '../src/engine/node.ts';
import { nameProducts, readPurchases } from '../src/data/purchases.ts';
import { assignmentIdColumn, segmentsByCustomer } from '../src/data/segment-assignments.ts';
import { evaluateOffline, fitItemItem, holdoutSplit, recommendAll, recommendFor, type HoldoutSplit, type Interactions, type OfflineEvaluation } from '../src/ml/recommend.ts';
import { metricsOf, recommendationsTable } from '../src/ml/recommend-report.ts';
import { DataError } from '../src/data/issues.ts';
import { addRuleMetrics, evaluateRulesUnlessCapped, readRuleModel, recommendByRules, ruleModelMessages, ruleReason, rulesInItemSpace, RULE_RANKINGS, type RuleEvaluation, type RuleModel } from '../src/ml/rule-recommend.ts';

const params = {
  customerColumn: column('customer_id', { label: 'Customer column' }),
  productColumn: column('product_id', { label: 'Product column' }),
  quantityColumn: column('quantity', { label: 'Quantity column', optional: true, help: 'Empty = every row counts once. Rows with quantity ≤ 0 (returns) are left out.' }),
  basketColumn: column('invoice_id', { label: 'Basket (invoice) column', optional: true, help: 'Needed to hold out each customer\u2019s last basket.' }),
  timeColumn: column('timestamp', { label: 'Time column', optional: true, help: 'Orders baskets; empty = table order.' }),
  labelColumn: column('', { label: 'Product name column', optional: true, help: 'A column of the transactions used in reasons ("because you bought …"); empty = names from the products input, else product ids.' }),
  productKey: column('', { label: 'Product id in products', optional: true, from: 'products', help: 'Empty: the same name as the product column.' }),
  productName: column('name', { label: 'Product name in products', optional: true, from: 'products' }),
  n: integer(10, { min: 1, max: 100, label: 'Top N' }),
  weighting: oneOf(['binary', 'log-count'], 'binary', { label: 'Weighting', group: 'Similarity', help: 'binary: bought or not; log-count: ln(1 + quantity).' }),
  alpha: number(0.5, { min: 0, max: 1, step: 0.05, label: 'Asymmetry α', group: 'Similarity', help: 'sim(i→j) = c_ij / (n_i^α · n_j^(1−α) + λ); 0.5 is cosine.' }),
  shrinkage: number(0, { min: 0, max: 1000, label: 'Shrinkage λ', group: 'Similarity', help: 'Pulls similarities of pairs seen by few customers towards 0.' }),
  neighbours: integer(100, { min: 1, max: 1000, label: 'Neighbours per product', group: 'Similarity' }),
  maxHistory: integer(500, { min: 1, max: 100_000, label: 'History cap', group: 'Similarity', help: 'Longer histories enter the similarity with their most-bought products only (a warning counts them): the similarity costs Σ min(history, cap)² per fit.' }),
  segmentPopularity: boolean(false, { label: 'Popularity within segment', help: 'Fill slots the neighbours cannot fill with what the customer\u2019s segment buys most (needs the segments input).' }),
  holdout: oneOf(['last-basket', 'random-item', 'none'], 'last-basket', { label: 'Offline evaluation', group: 'Evaluation' }),
  ruleRanking: oneOf(RULE_RANKINGS, 'confidence', { label: 'Rank rule items by', group: 'Rules', help: 'With the rules input: each product scores the best confidence (or lift) of the rules whose left side the customer bought.' }),
};

/** The recommend node: top-N item-item recommendations with reasons and an offline evaluation. */
export const recommend = defineNode({
  kind: 'recommend',
  version: 1,
  label: 'Recommend',
  description: 'Item-item collaborative filtering with a popularity fallback; top-N per customer with reasons, evaluated against popularity.',
  category: 'decide',
  inputs: {
    transactions: 'table',
    segments: optional('segments', 'Segments (for cold starts and segment popularity)'),
    products: optional('table', 'Products (names for reasons)'),
    rules: optional('transform', 'Association rules (from a rules node): recommend by rules instead of item-item'),
  },
  outputs: { recommendations: 'recommendations', metrics: 'metrics' },
  params,
  messages: {
    notNumeric: error('Column {column} must hold numbers; row {row} holds {value}.'),
    badTime: error('Time column {column} has {value} at row {row}, which is not a date or time.'),
    skipped: warning('{skipped} of {rows} rows left out: {missing} without a customer or product, {invalid} with a missing quantity or time, {returns} with quantity ≤ 0 (returns).'),
    noInteractions: warning('No purchase is left to learn from; every customer gets an empty list.'),
    historyCapped: warning('{capped} of {customers} customers bought more than {cap} distinct products (History cap): the similarity counts only their {cap} most-bought, which bounds its cost; their lists still leave out everything they bought.'),
    noBaskets: warning('Holdout "last-basket" needs a basket column; used "random-item" instead.'),
    noEvaluation: warning('Offline evaluation skipped: no customer qualifies for holdout {holdout} (it needs two baskets with a new product in the last, or two products for "random-item").'),
    baselineZero: warning('Popularity found none of the held-out products, so the ratios are undefined.'),
    segmentsUnused: warning('Popularity within segment is on but no segments input is connected; used overall popularity.'),
    ...ruleModelMessages,
    rulesEvaluationCapped: warning('Rule evaluation skipped: mining the training histories (one basket per customer) at the rules\u2019 thresholds passes the itemset cap ({cap}); the lists still use the rules as given.'),
    rulesUnmatched: warning('{unmatched} of {total} rules name products that are not in column {column} of the transactions; they are not used.'),
  },
  zh: {
    label: '推荐',
    description: '基于协同过滤为每位客户推荐商品。',
    params: {
      customerColumn: { label: '客户列' },
      productColumn: { label: '商品列' },
      quantityColumn: { label: '数量列', help: '留空 = 每行计一次。数量 ≤ 0 的行（退货）不计入。' },
      basketColumn: { label: '购物篮（发票）列', help: '留出每位客户最后一个购物篮时需要。' },
      timeColumn: { label: '时间列', help: '用于给购物篮排序；留空 = 按表中顺序。' },
      labelColumn: { label: '商品名称列', help: '交易表中用于推荐理由（“因为您购买过 …”）的列；留空 = 使用 products 输入中的名称，否则使用商品 ID。' },
      productKey: { label: 'products 中的商品 ID', help: '留空：与商品列同名。' },
      productName: { label: 'products 中的商品名称' },
      n: { label: '推荐个数（Top N）' },
      weighting: { label: '加权方式', help: 'binary：只看是否买过；log-count：ln(1 + quantity)。' },
      alpha: { label: '非对称系数 α', help: 'sim(i→j) = c_ij / (n_i^α · n_j^(1−α) + λ)；取 0.5 即为余弦相似度。' },
      shrinkage: { label: '收缩系数 λ', help: '将只有少数客户共同购买过的商品对的相似度向 0 收缩。' },
      neighbours: { label: '每个商品的近邻数' },
      maxHistory: { label: '购买历史上限', help: '更长的购买历史只以其中购买最多的商品参与相似度计算（警告会给出人数）：每次拟合的相似度计算量为 Σ min(历史长度, 上限)²。' },
      segmentPopularity: { label: '分群内热门补位', help: '近邻填不满的推荐位，用该客户所在分群购买最多的商品补足（需要 segments 输入）。' },
      holdout: { label: '离线评估' },
      ruleRanking: { label: '规则推荐商品的排序依据', help: '连接 rules 输入时：每个商品取左侧商品客户都已买过的规则中最高的 confidence（置信度）或 lift（提升度）。' },
    },
    groups: { Similarity: '相似度', Evaluation: '评估', Rules: '关联规则' },
    messages: {
      notNumeric: '列 {column} 必须是数值；第 {row} 行为 {value}。',
      badTime: '时间列 {column} 第 {row} 行的值为 {value}，不是日期或时间。',
      skipped: '{rows} 行中有 {skipped} 行被排除：{missing} 行缺少客户或商品，{invalid} 行缺少数量或时间，{returns} 行数量 ≤ 0（退货）。',
      noInteractions: '没有剩下可供学习的购买记录；每位客户的推荐列表都为空。',
      historyCapped: '{customers} 位客户中有 {capped} 位买过超过 {cap} 种不同商品（购买历史上限）：相似度只计入其购买最多的 {cap} 种，以限制计算量；其推荐列表仍排除其买过的全部商品。',
      noBaskets: '留出方式 "last-basket" 需要购物篮列；已改用 "random-item"。',
      noEvaluation: '已跳过离线评估：没有客户满足留出方式 {holdout} 的条件（需要两个购物篮且最后一个中有新商品；"random-item" 则需要两个商品）。',
      baselineZero: '按热门度推荐没有命中任何留出的商品，因此各比值没有定义。',
      segmentsUnused: '已开启“分群内热门补位”，但没有连接 segments 输入；已改用整体热门度。',
      badRules: '连接到输入 "rules" 的变换不是 rules 节点产生的规则模型（{reason}）。',
      rulesEvaluationCapped: '已跳过规则评估：按规则的阈值在训练历史（每位客户一个购物篮）上挖掘时超过项集上限（{cap}）；推荐列表仍使用给定的规则。',
      rulesUnmatched: '{total} 条规则中有 {unmatched} 条提到的商品不在交易表的 {column} 列中；这些规则不使用。',
    },
  },
  async run(inputs, p, ctx: NodeContext) {
    const t = inputs.transactions;
    const named = [p.customerColumn, p.productColumn, p.quantityColumn, p.basketColumn, p.timeColumn, p.labelColumn];
    const paramNames = ['customerColumn', 'productColumn', 'quantityColumn', 'basketColumn', 'timeColumn', 'labelColumn'];
    named.forEach((c, at) => {
      if (c !== '' || at < 2) requireColumns(t, [c], paramNames[at] ?? 'column');
    });
    // Baskets and times serve only the last-basket holdout; other modes skip reading them.
    const lastBasket = p.holdout === 'last-basket';
    const read = readPurchases(t, { customer: p.customerColumn, product: p.productColumn, quantity: p.quantityColumn, basket: lastBasket ? p.basketColumn : '', time: lastBasket ? p.timeColumn : '', label: p.labelColumn }, ctx);
    const { customers, products, productLabel, users, items, counts, baskets, times } = read;
    const { missing, invalid, returns } = read.skipped;
    const rows = t.numRows();
    const labelled = p.labelColumn !== '';
    // Names from the products input, for products the transactions did not name.
    if (inputs.products !== undefined && !labelled) {
      const key = p.productKey === '' ? p.productColumn : p.productKey;
      requireColumns(inputs.products, [key], 'productKey');
      requireColumns(inputs.products, [p.productName], 'productName');
      nameProducts(inputs.products, key, p.productName, products, productLabel);
    }
    const skipped = missing + invalid + returns;
    if (skipped > 0) ctx.warn('skipped', { skipped, rows, missing, invalid, returns });
    ctx.checkCancelled();
    ctx.progress(0.1, 'matrix built');

    // Segments: assignment id column is `id` (the segment node's) or else the first column.
    const segmentInput = inputs.segments;
    if (segmentInput !== undefined) requireColumns(segmentInput.assignments, [assignmentIdColumn(segmentInput.assignments), 'segment'], 'segments');
    const { segmentOf, rawIds, names: segmentNames } = segmentsByCustomer(segmentInput?.assignments);
    const useSegments = p.segmentPopularity && segmentInput !== undefined;
    if (p.segmentPopularity && segmentInput === undefined) ctx.warn('segmentsUnused');

    const x: Interactions = {
      users: Int32Array.from(users),
      items: Int32Array.from(items),
      counts: Float64Array.from(counts),
      nUsers: customers.values.length,
      nItems: products.values.length,
    };
    const options = { weighting: p.weighting, alpha: p.alpha, shrinkage: p.shrinkage, neighbours: p.neighbours, maxHistory: p.maxHistory };
    const customerKeyList = [...customers.ids.keys()];
    const userSegments = Int32Array.from(customerKeyList, (k) => segmentOf.get(k)?.segment ?? -1);
    if (x.nUsers === 0 || x.nItems === 0) ctx.warn('noInteractions');
    const model = fitItemItem(x, options);
    if (model.cappedUsers > 0) ctx.warn('historyCapped', { capped: model.cappedUsers, customers: x.nUsers, cap: p.maxHistory });
    ctx.checkCancelled();
    ctx.progress(0.5, 'similarities computed');
    const ruleModel = inputs.rules === undefined ? null : readRulesInput(inputs.rules.kind, inputs.rules.params, ctx);
    const ruleSpace = ruleModel === null ? null : rulesInItemSpace(ruleModel, (name) => products.ids.get(name));
    if (ruleSpace !== null && ruleModel !== null && ruleSpace.unmatched > 0) ctx.warn('rulesUnmatched', { unmatched: ruleSpace.unmatched, total: ruleModel.rules.size, column: p.productColumn });
    const known = ruleSpace === null
      ? recommendAll(model, useSegments ? { n: p.n, segments: userSegments } : { n: p.n })
      : recommendByRules(ruleSpace.rules, model.userItems, model.popularity, model.popularOrder, { n: p.n, rank: p.ruleRanking });
    const coldKeys = [...segmentOf.keys()].filter((k) => !customers.ids.has(k));
    const cold = recommendFor(
      model,
      coldKeys.map(() => []),
      useSegments ? { n: p.n, segments: coldKeys.map((k) => segmentOf.get(k)?.segment ?? -1), trainingSegments: userSegments } : { n: p.n },
    );
    ctx.checkCancelled();

    const names = {
      products: products.values,
      productLabel,
      segmentNames,
      ruleReason: (rule: number, item: number): string => (ruleModel !== null && ruleSpace !== null ? ruleReason(ruleModel, ruleSpace.kept[rule]!, productLabel[item] ?? String(products.values[item])) : 'association rule'),
    };
    const groups = [
      { recs: known, ids: customers.values, segments: userSegments },
      { recs: cold, ids: coldKeys.map((k) => rawIds.get(k) ?? k), segments: coldKeys.map((k) => segmentOf.get(k)?.segment ?? -1) },
    ];
    const recommendations = recommendationsTable(groups, names, labelled || inputs.products !== undefined);
    ctx.progress(0.7, 'evaluating');

    // Offline evaluation on a holdout split.
    let holdout = p.holdout;
    if (holdout === 'last-basket' && p.basketColumn === '') {
      ctx.warn('noBaskets');
      holdout = 'random-item';
    }
    const split = holdoutSplit(holdout, x, baskets, times, () => ctx.random.uint32());
    let evaluation: OfflineEvaluation | null = null;
    let byRules: RuleEvaluation | null = null;
    if (split !== null) {
      if (split.evalUsers.length === 0) {
        ctx.warn('noEvaluation', { holdout });
      } else {
        evaluation = evaluateOffline(split, { ...options, n: p.n });
        if (evaluation.popularity.recall === 0) ctx.warn('baselineZero');
        if (ruleModel !== null) byRules = evaluateRulesUnlessCapped(split, ruleModel.mining, { n: p.n, rank: p.ruleRanking, checkpoint: () => ctx.checkCancelled() });
        if (ruleModel !== null && byRules === null) ctx.warn('rulesEvaluationCapped', { cap: ruleModel.mining.maxItemsets });
      }
    }
    const metrics = metricsOf(evaluation, p.n, holdout, {
      customers: x.nUsers,
      products: x.nItems,
      coldStarts: coldKeys.length,
      skippedRows: skipped,
      cappedCustomers: model.cappedUsers,
    });
    if (byRules !== null) addRuleMetrics(metrics, byRules);
    ctx.progress(1);
    return { recommendations, metrics };
  },
  summary(outputs) {
    const rulesRatio = outputs.metrics.summary.rules_recall_ratio;
    const ratio = typeof rulesRatio === 'number' ? rulesRatio : outputs.metrics.summary.recall_ratio;
    const customers = outputs.metrics.detail.customers;
    return `${String(customers)} customers${typeof ratio === 'number' ? ` · ${typeof rulesRatio === 'number' ? 'rules ' : ''}recall ×${ratio.toFixed(2)} vs popular` : ''}`;
  },
});

/** The rule model on the rules input, or the node's declared badRules error. */
function readRulesInput(kind: string, params: unknown, ctx: NodeContext): RuleModel {
  try {
    return readRuleModel(kind, params);
  } catch (err) {
    if (err instanceof DataError) return ctx.fail('badRules', err.values, 'rules');
    throw err;
  }
}
