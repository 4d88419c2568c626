/**
 * The guided start's pipeline builder: from a detection (src/data/roles.ts) and the chosen
 * dates (src/data/date-choice.ts) it writes the whole method for the file's shape as ordinary
 * nodes and params, laid out left to right, each node with a note saying what was chosen and
 * why. The studio and `insight auto` build the same document from the same inputs.
 */
import { nodeRegistry } from '../../nodes/index.ts';
import type { PipelineDocument } from '../engine/document.ts';
import type { DateChoice } from '../data/date-choice.ts';
import type { NumberDateForm } from '../data/number-dates.ts';
import { roleColumn, type Detection, type RoleGuess, type RoleName } from '../data/roles.ts';

/** Everything the builder reads. */
export interface BuildInput {
  /** The detection (shape and roles; the person's picks already applied). */
  detection: Detection;
  /** The chosen dates (transactions only). */
  dates: DateChoice | null;
  /** The file name (for the pipeline's name and the load node's note). */
  fileName: string;
  /** Load options that reading the file needed (delimiter, encoding, no header row, a time column of numbers), as load params. */
  load?: { delimiter?: string; encoding?: string; header?: false; trim?: true; numberDates?: { column: string; form: NumberDateForm; dayZero: string } };
  /** Number of customers seen (sizes the LSTM's batch), if known. */
  customers?: number;
  /** Share of invoice ids that start with "C" (cancellations, Online Retail style). */
  cancelledShare?: number;
  /** Kinds available in this build (defaults to the registry): later nodes join when present. */
  kinds?: ReadonlySet<string>;
}

/** What `buildPipeline` returns: the document, or why none could be built. */
export type BuildResult = { ok: true; document: PipelineDocument } | { ok: false; missing: string };

type DocNode = PipelineDocument['nodes'][number];
type DocEdge = PipelineDocument['edges'][number];

/** A small document writer: nodes with positions on a grid, edges by name. */
class Doc {
  readonly nodes: DocNode[] = [];
  readonly edges: DocEdge[] = [];
  node(id: string, kind: string, col: number, row: number, params: Record<string, unknown>, note: string): string {
    const spec = nodeRegistry[kind];
    this.nodes.push({ id, kind, version: spec ? spec.version : 1, params, position: [col * 260, row * 160], note });
    return id;
  }
  edge(from: string, fromPort: string, to: string, toPort: string): void {
    this.edges.push({ from: [from, fromPort], to: [to, toPort] });
  }
}

function col(roles: readonly RoleGuess[], role: RoleName): string {
  return roleColumn(roles, role) ?? '';
}

function loadParams(input: BuildInput, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const params: Record<string, unknown> = { source: 'file', ...extra };
  if (input.load?.delimiter !== undefined) params.delimiter = input.load.delimiter;
  if (input.load?.encoding !== undefined) params.encoding = input.load.encoding;
  if (input.load?.header === false) params.header = false;
  if (input.load?.trim === true) params.trim = true;
  const dated = input.load?.numberDates;
  if (dated !== undefined) {
    params.numberDates = { [dated.column]: dated.form };
    params.dayZero = dated.dayZero;
  }
  return params;
}

function roleText(roles: readonly RoleGuess[]): string {
  return roles.map((r) => `${r.role} = ${r.column} (${Math.round(r.confidence * 100)}%: ${r.reason})`).join('\n');
}

/** Builds the pipeline for a detection (see the file header). */
export function buildPipeline(input: BuildInput): BuildResult {
  const { detection } = input;
  switch (detection.shape) {
    case 'transactions':
      return transactions(input);
    case 'baskets':
      return baskets(input);
    case 'customers':
      return customers(input);
    case null:
      return { ok: false, missing: detection.missing ?? 'no shape fits this file' };
    default: {
      const never: never = detection.shape;
      return never;
    }
  }
}

function document(name: string, description: string, doc: Doc): PipelineDocument {
  return { format: 'insight-pipeline', version: 1, name, description, seed: 42, nodes: doc.nodes, edges: doc.edges, notes: [] };
}

function transactions(input: BuildInput): BuildResult {
  const { roles } = input.detection;
  const dates = input.dates;
  if (!dates) return { ok: false, missing: 'fewer than two days with activity: a purchase-intent label needs a history and a later window' };
  const customer = col(roles, 'customer');
  const time = col(roles, 'time');
  const invoice = col(roles, 'invoice');
  const quantity = col(roles, 'quantity');
  const price = col(roles, 'price');
  const amount = col(roles, 'amount');
  const product = col(roles, 'product');
  const category = col(roles, 'category');
  const event = col(roles, 'event');
  const profiles = new Map(input.detection.profiles.map((p) => [p.name, p]));
  const numeric = [quantity, price, amount].filter((c) => c !== '');
  const asText = numeric.filter((c) => profiles.get(c)?.numbersAsText === true);
  const doc = new Doc();

  doc.node('load1', 'load', 0, 0, loadParams(input), `${input.fileName}: ${input.detection.reason}.\nRoles:\n${roleText(roles)}`);

  const conditions: { column: string; op: string; value: string | number | null }[] = [];
  const cleanWhy: string[] = ['exact duplicate rows', `rows without a customer (${customer}) or a time (${time})`];
  if (invoice !== '' && (input.cancelledShare ?? 0) > 0) {
    conditions.push({ column: invoice, op: 'not-starts-with', value: 'C' });
    cleanWhy.push(`cancellations (${invoice} starting with C, ${((input.cancelledShare ?? 0) * 100).toFixed(1)}% of invoices)`);
  }
  for (const c of numeric) {
    conditions.push({ column: c, op: '>', value: 0 });
    cleanWhy.push(`rows with ${c} ≤ 0 (returns, free lines)`);
  }
  const missing: Record<string, string> = { [customer]: 'drop-row', [time]: 'drop-row' };
  doc.node('clean1', 'clean', 1, 0, { dropDuplicates: true, trim: true, parseNumbers: asText, conditions, missing, idColumn: customer }, `Purchases only: drops ${cleanWhy.join(', ')}.${asText.length > 0 ? ` ${asText.join(', ')} hold numbers written as text; they are read as numbers.` : ''} The warnings count the customers lost.`);
  doc.edge('load1', 'table', 'clean1', 'table');

  const hasFeatures = customer !== '' && time !== '';
  if (!hasFeatures) return { ok: false, missing: 'no customer or time column' };
  // An amount is the line's total: with no unit price, monetary is Σ amount, not quantity × amount.
  const featureParams: Record<string, unknown> = { customer, invoice, time, quantity: price !== '' || amount === '' ? quantity : '', price: price !== '' ? price : amount, referenceDate: dates.dataEnd };
  if (product !== '') featureParams.product = product;
  if (category !== '') featureParams.category = category;
  const monetaryText = quantity !== '' && price !== '' ? `${quantity} × ${price}` : amount !== '' ? `Σ ${amount}` : quantity !== '' ? `Σ ${quantity}` : 'rows';
  const featureColumns = ['recency_days', 'frequency', 'monetary', 'tenure_days', 'avg_basket_value', ...(product !== '' ? ['distinct_products'] : [])];
  const frequencyText = invoice !== '' ? `distinct ${invoice}` : 'distinct purchase days';
  // The customers as they were at the cutoff (every row before it, nothing from the label window): the
  // history the window alone does not show (tenure, activity before the window), as static features.
  doc.node('history', 'features', 1, -1, { ...featureParams, referenceDate: '', cutoff: dates.cutoff }, `Each customer’s history before the cutoff ${dates.cutoff} (that day and the label window after it left out): recency and tenure in days to the cutoff, frequency (${frequencyText}), monetary value (${monetaryText}), basket value${product !== '' ? ', distinct products' : ''}. They join the training sequences as static features, so the LSTM and the models on the totals see the whole history, not only the ${dates.steps} ${dates.period}s of the window.`);
  doc.edge('clean1', 'table', 'history', 'table');
  const values: Record<string, string> = {};
  if (quantity !== '') values[quantity] = 'sum';
  if (amount !== '') values[amount] = 'sum';
  const seqParams = (cutoff: string, label: boolean): Record<string, unknown> => ({
    staticColumns: featureColumns,
    idColumn: customer,
    timeColumn: time,
    period: dates.period,
    steps: dates.steps,
    countRows: true,
    ...(event !== '' ? { countBy: event } : {}),
    values,
    scaling: 'log-standard',
    cutoff,
    ...(label ? { horizonEnd: dates.horizonEnd, labelSource: 'horizon' } : { labelSource: 'none' }),
  });
  doc.node('sequences_train', 'sequence', 2, 0, seqParams(dates.cutoff, true), `Training window: ${dates.steps} ${dates.period}s before ${dates.cutoff}; label = any purchase from ${dates.cutoff} to ${dates.horizonEnd} (both days included). ${dates.horizonReason} ${dates.periodReason}`);
  doc.edge('clean1', 'table', 'sequences_train', 'table');
  doc.edge('history', 'table', 'sequences_train', 'static');
  const batch = (input.customers ?? 1000) < 2000 ? 32 : 64;
  const lstmParams = { units: 16, layers: 1, dropout: 0, epochs: 10, batchSize: batch, learningRate: 0.005, patience: 0, classWeight: 'none', validation: 'kfold', folds: 5, finalModel: true, implementation: 'fast' };
  doc.node('lstm', 'lstm', 3, 0, lstmParams, `Stratified 5-fold: every customer is scored by a model that never saw them; a final model on all customers scores them now. 16 units, 10 epochs, batch ${batch} (small data: ${input.customers?.toLocaleString('en') ?? 'unknown'} customers).`);
  doc.edge('sequences_train', 'sequences', 'lstm', 'sequences');
  const kinds = input.kinds ?? new Set(Object.keys(nodeRegistry));
  // An order-blind rival on the same customers, labels and folds: trees on the sequences' totals.
  const withTrees = kinds.has('classify');
  if (withTrees) {
    const minLeaf = (input.customers ?? 1000) < 1000 ? 20 : 40;
    doc.node('trees', 'classify', 3, -1, { label: 'label', id: customer, learner: 'gbdt', iterations: 50, learningRate: 0.1, maxLeaves: 4, minLeaf, folds: 5 }, `Gradient-boosted trees on each customer’s totals (Sequences’ totals port: every feature summed over the ${dates.steps} ${dates.period}s and over the last quarter of them, the ${dates.period}s since the last activity, and the history before the cutoff), with the LSTM’s labels and folds. Small trees (50 of 4 leaves, at least ${minLeaf} customers per leaf) take a fraction of a second.`);
    doc.edge('sequences_train', 'totals', 'trees', 'table');
    // Small samples favour a linear model: the same totals, log-scaled, by L2 logistic regression.
    doc.node('logit', 'classify', 3, -2, { label: 'label', id: customer, learner: 'logistic', l2: 1, logNumbers: true, folds: 5 }, `L2 logistic regression (λ = 1) on the same totals and history, each number read as ln(1 + x) and standardised, with the same labels and folds: with few customers a linear model often beats both trees and the LSTM.`);
    doc.edge('sequences_train', 'totals', 'logit', 'table');
  }
  doc.node('evaluate', 'evaluate', 4, 0, { thresholdRule: 'fixed', threshold: 0.5, baseline: 'auto', name: 'LSTM', ...(withTrees ? { name2: 'trees (totals)', name3: 'logistic (totals)', ensemble: true } : {}) }, `The LSTM beside ${withTrees ? 'the trees, the logistic regression, their mean-rank ensemble and ' : ''}a logistic baseline on each customer’s history before the cutoff, over the same customers and folds: leaderboard, lift by decile and the paired AUC difference with a bootstrap interval, so you see what the order of the periods adds.${withTrees ? ' The ensemble orders customers by the mean of their three ranks, with equal weights and nothing fitted: on small files no single model wins every time, and the mean of three is steadier than any one of them.' : ''}`);
  doc.edge('lstm', 'predictions', 'evaluate', 'predictions');
  if (withTrees) {
    doc.edge('trees', 'predictions', 'evaluate', 'predictions2');
    doc.edge('logit', 'predictions', 'evaluate', 'predictions3');
  }
  doc.edge('sequences_train', 'sequences', 'evaluate', 'sequences');

  doc.node('sequences_now', 'sequence', 2, 1, seqParams(dates.dataEnd, false), `The same ${dates.steps} ${dates.period}s ending at the data’s end (${dates.dataEnd}, after the last day ${dates.last}): every customer to score now.`);
  doc.edge('clean1', 'table', 'sequences_now', 'table');
  doc.edge('features', 'table', 'sequences_now', 'static');
  doc.node('score_now', 'lstm', 3, 1, lstmParams, `Applies the trained model to the current sequences: purchase probability in the next ${dates.horizonWeeks} weeks.`);
  doc.edge('sequences_now', 'sequences', 'score_now', 'sequences');
  doc.edge('lstm', 'model', 'score_now', 'model');

  doc.node('features', 'features', 2, 2, featureParams, `Recency (days to ${dates.dataEnd}), frequency (${frequencyText}) and monetary value (${monetaryText}) per customer, on every clean row: the customers as they are now (also the static features of the sequences scored now).`);
  doc.edge('clean1', 'table', 'features', 'table');
  doc.node('normalise', 'normalise', 3, 2, { columns: featureColumns, method: 'min-max' }, `x′ = (x − min) / (max − min) on ${featureColumns.join(', ')} (not the id ${customer}), so the weights and segments compare like with like.`);
  doc.edge('features', 'table', 'normalise', 'table');
  doc.node('weight', 'weight', 4, 2, { method: 'typed', weights: { recency_days: -0.25, frequency: 0.35, monetary: 0.4 } }, 'f = Σ wⱼ x′ⱼ: monetary 0.4, frequency 0.35, recency −0.25 (recent customers score higher). Edit the weights to your own priorities.');
  doc.edge('normalise', 'table', 'weight', 'table');
  doc.node('segment', 'segment', 5, 1, { idColumn: customer, chooseK: 'silhouette', kMin: 2, kMax: 8 }, 'k-means++ on the normalised features, k chosen by silhouette from 2 to 8; profiles in original units, with the purchase probability and score of each segment.');
  doc.edge('normalise', 'table', 'segment', 'table');
  doc.edge('score_now', 'predictions', 'segment', 'predictions');
  doc.edge('weight', 'table', 'segment', 'scores');
  doc.edge('features', 'table', 'segment', 'original');
  // Baskets (invoices) of products: association rules that also rank the recommendations.
  const withRules = product !== '' && invoice !== '' && kinds.has('rules');
  if (withRules) {
    doc.node('rules', 'rules', 4, 4, { basketColumn: invoice, itemColumn: product, quantityColumn: quantity, minSupport: 0.002, minConfidence: 0.1, maxLength: 4, maxRules: 10_000 }, `Association rules by FP-growth on the baskets (${invoice}) of ${product}: item sets in at least 0.2% of baskets, rules that hold at least 10% of the time (connect them to Recommend’s rules input to rank its items by them).`);
    doc.edge('clean1', 'table', 'rules', 'table');
  }
  if (product !== '') {
    const recParams: Record<string, unknown> = { customerColumn: customer, productColumn: product, quantityColumn: quantity, basketColumn: invoice, timeColumn: time, n: 10, holdout: invoice !== '' ? 'last-basket' : 'random-item' };
    doc.node('recommend', 'recommend', 5, 3, recParams, `Item-item collaborative filtering on who bought which ${product}, with a popularity fallback; evaluated by holding out ${invoice !== '' ? 'each customer’s last basket' : 'one random item per customer'} against popularity.`);
    doc.edge('clean1', 'table', 'recommend', 'transactions');
    doc.edge('segment', 'segments', 'recommend', 'segments');
  }
  // Lifetime value (BG/NBD + Gamma-Gamma) needs a spend per row; it becomes the decision's value.
  const spend = price !== '' ? price : amount;
  const withClv = spend !== '' && kinds.has('clv');
  if (withClv) {
    const unit = dates.period === 'month' ? 'week' : dates.period;
    doc.node('clv', 'clv', 4, 3, { source: 'transactions', customer, time, value: spend, quantity: price !== '' ? quantity : '', unit, months: 12, discountRate: 0.01 }, `BG/NBD and Gamma-Gamma on every clean row (purchases counted once per ${unit}, spend = ${price !== '' && quantity !== '' ? `${quantity} × ${price}` : `Σ ${spend}`}): probability alive, expected purchases and a 12-month CLV discounted 1% a month per customer.`);
    doc.edge('clean1', 'table', 'clv', 'table');
  }
  if (kinds.has('cohorts')) {
    doc.node('cohorts', 'cohorts', 2, 3, { customerColumn: customer, timeColumn: time, priceColumn: spend, quantityColumn: price !== '' ? quantity : '', period: dates.period === 'month' || dates.period === 'week' ? dates.period : 'week', maxPeriods: 12 }, 'Acquisition cohorts (first purchase month or week) × periods since: active customers, retention and revenue per customer.');
    doc.edge('clean1', 'table', 'cohorts', 'table');
  }
  const valueText = withClv ? 'the 12-month CLV' : 'monetary value';
  doc.node('decide', 'decide', 6, 1, { value: 'monetary', valueColumn: 'monetary', idColumn: customer }, `One row per customer ranked by purchase probability × ${valueText}, with the strategy of their segment and their top recommendations.`);
  doc.edge('score_now', 'predictions', 'decide', 'predictions');
  doc.edge('segment', 'segments', 'decide', 'segments');
  doc.edge('weight', 'table', 'decide', 'scores');
  doc.edge('features', 'table', 'decide', 'customers');
  if (product !== '') doc.edge('recommend', 'recommendations', 'decide', 'recommendations');
  if (withClv) doc.edge('clv', 'customers', 'decide', 'lifetime');
  const description = `Built by the guided start from ${input.fileName}: a transactions log. Purchase intent = any purchase from ${dates.cutoff} to ${dates.horizonEnd}, from ${dates.steps} ${dates.period}s of history; segments, recommendations and a decision per customer.`;
  return { ok: true, document: document(`${input.fileName}: guided start`, description, doc) };
}

function baskets(input: BuildInput): BuildResult {
  const { detection } = input;
  const doc = new Doc();
  let basket = col(detection.roles, 'basket');
  let item = col(detection.roles, 'item');
  if (detection.layout === 'ragged') {
    doc.node('load1', 'load', 0, 0, loadParams(input, { format: 'baskets' }), `${input.fileName}: ${detection.reason}. Read as one row per basket and item (basket = line number).`);
    basket = 'basket';
    item = 'item';
  } else {
    doc.node('load1', 'load', 0, 0, loadParams(input), `${input.fileName}: ${detection.reason}.\nRoles:\n${roleText(detection.roles)}`);
  }
  const kinds = input.kinds ?? new Set(Object.keys(nodeRegistry));
  const recParams: Record<string, unknown> = { customerColumn: basket, productColumn: item, quantityColumn: '', basketColumn: '', timeColumn: '', n: 10, holdout: 'random-item' };
  if (kinds.has('rules')) {
    doc.node('rules1', 'rules', 1, 1, { basketColumn: basket, itemColumn: item, minSupport: 0.002, minConfidence: 0.1, maxLength: 10, maxRules: 0 }, 'Association rules by FP-growth: item sets in at least 0.2% of baskets, rules that hold at least 10% of the time; they rank the recommendations below.');
    doc.edge('load1', 'table', 'rules1', 'table');
    recParams.ruleRanking = 'confidence';
  }
  doc.node('recommend1', 'recommend', 2, 0, recParams, `Without customers or times each basket stands for a customer: ten more items per basket by item-item collaborative filtering${kinds.has('rules') ? ' and the association rules' : ''}, evaluated by holding out one seeded random item of every basket with two items or more, against popularity.`);
  doc.edge('load1', 'table', 'recommend1', 'transactions');
  if (kinds.has('rules')) doc.edge('rules1', 'model', 'recommend1', 'rules');
  return { ok: true, document: document(`${input.fileName}: guided start`, `Built by the guided start from ${input.fileName}: market baskets.`, doc) };
}

function customers(input: BuildInput): BuildResult {
  const kinds = input.kinds ?? new Set(Object.keys(nodeRegistry));
  if (!kinds.has('classify')) return { ok: false, missing: 'one row per customer with a label, but no tabular model is available in this build (the classify node); nothing to predict the label with' };
  const { detection } = input;
  const label = col(detection.roles, 'label');
  if (label === '') return { ok: false, missing: 'one row per customer but no binary label column: pass --label COLUMN' };
  const id = col(detection.roles, 'customer');
  const numeric = detection.profiles.filter((p) => p.name !== id && p.name !== label && p.numberShare >= 0.95 && !p.binary && p.distinct > 2).map((p) => p.name);
  const doc = new Doc();
  doc.node('load1', 'load', 0, 0, loadParams(input), `${input.fileName}: ${detection.reason}.\nRoles:\n${roleText(detection.roles)}`);
  const gaps = numeric.filter((c) => { const p = detection.profiles.find((q) => q.name === c); return p !== undefined && p.filled < p.rows; });
  const missing = Object.fromEntries(gaps.map((c) => [c, 'median']));
  doc.node('clean', 'clean', 1, 0, { missing }, `Exact duplicates dropped, text trimmed, numbers written as text read as numbers${gaps.length > 0 ? `; missing ${gaps.join(', ')} imputed with the median (segments need every value)` : ''}.`);
  doc.edge('load1', 'table', 'clean', 'table');
  const base = { label, ...(id !== '' ? { id } : {}) };
  doc.node('trees', 'classify', 2, 0, { ...base, learner: 'gbdt' }, `Gradient-boosted trees predict ${label} from every other column${id !== '' ? ` but the id ${id}` : ''}, 5-fold: every customer scored by a model that never saw them.`);
  doc.node('logit', 'classify', 2, 1, { ...base, learner: 'logistic', l2: 1 }, 'An L2 logistic regression on the same columns and folds, the baseline to beat.');
  doc.edge('clean', 'table', 'trees', 'table');
  doc.edge('clean', 'table', 'logit', 'table');
  doc.node('evaluate', 'evaluate', 3, 0, { name: 'trees', name2: 'logistic', baseline: 'none', bootstrap: 500, ensemble: true }, 'Trees beside the logistic regression and their mean-rank ensemble (equal weights, nothing fitted) on the same customers: leaderboard, curves and the paired AUC difference with an interval.');
  doc.edge('trees', 'predictions', 'evaluate', 'predictions');
  doc.edge('logit', 'predictions', 'evaluate', 'predictions2');
  doc.node('segment', 'segment', 3, 1, { idColumn: id, ...(numeric.length > 0 ? { columns: numeric.slice(0, 12) } : {}), chooseK: 'silhouette', kMin: 2, kMax: 8 }, `k-means++ on ${numeric.length > 0 ? numeric.slice(0, 12).join(', ') : 'every numeric column'}, k by silhouette; each segment's predicted ${label} rate beside it.`);
  doc.edge('clean', 'table', 'segment', 'table');
  doc.edge('trees', 'predictions', 'segment', 'predictions');
  doc.node('decide', 'decide', 4, 0, { value: 'none' }, 'One row per customer ranked by the predicted probability, with the strategy of their segment.');
  doc.edge('trees', 'predictions', 'decide', 'predictions');
  doc.edge('segment', 'segments', 'decide', 'segments');
  return { ok: true, document: document(`${input.fileName}: guided start`, `Built by the guided start from ${input.fileName}: one row per customer, label ${label}.`, doc) };
}
