/**
 * CLV: customer lifetime value with BG/NBD (purchases, Fader, Hardie & Lee 2005) and
 * Gamma-Gamma (spend), the models of lifetimes and PyMC-Marketing. From a transactions table it
 * summarises each customer with lifetimes' conventions (src/data/purchase-summary.ts): one
 * purchase per period unit, frequency = repeat periods, recency and T in units, calibration up to
 * the calibration end and a holdout after it; or it reads a ready summary table. It fits both
 * models by maximum likelihood (or applies a connected model) and scores every customer:
 * P(alive), expected purchases and P(≥ 1 purchase) in the horizon, expected average spend and
 * CLV = Σₖ spend · ΔE(month k) / (1 + d)ᵏ over the months (src/ml/lifetime-value.ts).
 * `predictions` is P(≥ 1 purchase) with the holdout's 0/1 label, for Evaluate beside the LSTM
 * (fold = a hash of the id mod 5: a grouping for Evaluate's baseline; every score is out of sample
 * in time).
 */
import { idKey } from '../src/data/cells.ts';
import { columnValues, makeTable, numberColumn, readNumbers } from '../src/data/columns.ts';
import { toEpochMs } from '../src/data/dates.ts';
import { declaredErrors, emitNotes } from '../src/data/issues.ts';
import { periodUnits, purchaseSummaryMessages, summarisePurchases, unitDays, type PeriodUnit } from '../src/data/purchase-summary.ts';
import { periodsPerMonth } from '../src/ml/gamma-gamma.ts';
import { hashString } from '../src/ml/random.ts';
import { calibrationHoldout, fitLifetimeValue, frequencyRecencyMatrix, lifetimeValueMessages, paramsOfModel, readLifetimeValueParams, scoreLifetimeValue, type CustomerSummaries } from '../src/ml/lifetime-value.ts';
import { column, date, defineNode, error, integer, number, oneOf, optional, requireColumns, warning, type JsonObject, type ModelValue } from './define.ts';

const messages = {
  ...purchaseSummaryMessages,
  ...lifetimeValueMessages,
  chooseColumn: error('Parameter {param} is empty; choose the {what} column.'),
  notNumeric: error('Column {column} in parameter {param} must hold numbers; it holds values such as {example}.'),
  badModel: error('The model connected to input "model" is not a CLV model (kind {kind}).'),
  unitMismatch: error('The connected model was fitted per {fitted}; this node summarises per {unit}. Use the same period unit.'),
  horizonNotHoldout: warning('The horizon ({horizon} {unit}s) differs from the holdout ({holdout} {unit}s), so predictions carry no label; set the horizon to 0 to use the holdout.'),
};

const round = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(10)) : null);

/** The clv node. */
export const clv = defineNode({
  kind: 'clv',
  version: 1,
  label: 'Lifetime value',
  category: 'model',
  description: 'BG/NBD + Gamma-Gamma: P(alive), expected purchases, P(≥ 1 purchase) and discounted CLV per customer, from transactions or a frequency/recency/T summary.',
  inputs: { table: 'table', model: optional('model', 'Fitted CLV model to apply') },
  outputs: { customers: 'table', predictions: 'predictions', model: 'model', matrix: 'table', calibration: 'table' },
  params: {
    source: oneOf(['transactions', 'summary'], 'transactions', { label: 'Input', help: 'transactions: one row per purchase line; summary: one row per customer with frequency, recency, T and monetary value.' }),
    customer: column('', { label: 'Customer id' }),
    time: column('', { label: 'Purchase time', help: 'Dates, or date text.', showIf: { source: ['transactions'] } }),
    value: column('', { numeric: true, label: 'Value', help: 'Spend of the row (or the unit price when a quantity is set).', showIf: { source: ['transactions'] } }),
    quantity: column('', { numeric: true, optional: true, label: 'Quantity', help: 'Optional: the row’s spend is value × quantity.', showIf: { source: ['transactions'] } }),
    unit: oneOf(periodUnits, 'week', { label: 'Period unit', help: 'Purchases in one period count once; recency, T and the horizon are in this unit.' }),
    calibrationEnd: date('', { label: 'Calibration end', help: 'Last day of the fitting window (inclusive); later purchases form the holdout. Empty: the last purchase, no holdout.', group: 'Time', showIf: { source: ['transactions'] } }),
    holdoutEnd: date('', { label: 'Holdout end', help: 'Last day of the holdout (inclusive). Empty: the last purchase.', group: 'Time', showIf: { source: ['transactions'] } }),
    frequency: column('frequency', { numeric: true, label: 'Frequency', help: 'Repeat purchases.', group: 'Summary columns', showIf: { source: ['summary'] } }),
    recency: column('recency', { numeric: true, label: 'Recency', help: 'First to last purchase.', group: 'Summary columns', showIf: { source: ['summary'] } }),
    age: column('T', { numeric: true, label: 'Age T', help: 'First purchase to the end of calibration.', group: 'Summary columns', showIf: { source: ['summary'] } }),
    monetary: column('monetary_value', { numeric: true, optional: true, label: 'Monetary value', help: 'Mean repeat spend; empty: no spend model.', group: 'Summary columns', showIf: { source: ['summary'] } }),
    horizon: integer(0, { label: 'Horizon', min: 0, max: 10000, unit: 'periods', help: 'For expected purchases and P(≥ 1 purchase). 0: the holdout length (one year without a holdout).', group: 'Prediction' }),
    months: integer(12, { label: 'CLV months', min: 1, max: 240, group: 'Prediction' }),
    discountRate: number(0.01, { label: 'Monthly discount rate', min: 0, max: 1, step: 0.005, help: 'CLV divides month k’s value by (1 + rate)^k.', group: 'Prediction' }),
    penalizer: number(0, { label: 'Penalizer', min: 0, max: 10, step: 0.001, help: 'lifetimes’ penalizer_coef for BG/NBD: adds c · (r² + α² + a² + b²) to its mean negative log-likelihood; 0 = plain maximum likelihood.' }),
  },
  messages,
  zh: {
    label: '客户终身价值',
    description: 'BG/NBD + Gamma-Gamma：每位客户的存活概率、预期购买次数、至少购买一次的概率与折现 CLV，输入为交易记录或 frequency/recency/T 汇总表。',
    params: {
      source: { label: '输入', help: 'transactions：每行一条购买记录；summary：每位客户一行，含 frequency、recency、T 与 monetary value。' },
      customer: { label: '客户 ID' },
      time: { label: '购买时间', help: '日期，或日期文本。' },
      value: { label: '金额', help: '该行的消费额（设置了数量时为单价）。' },
      quantity: { label: '数量', help: '可选：该行消费额 = 金额 × 数量。' },
      unit: { label: '周期单位', help: '同一周期内的购买只计一次；recency、T 与预测期都以此为单位。' },
      calibrationEnd: { label: '校准期结束', help: '拟合窗口的最后一天（含）；之后的购买构成留出期。留空：最后一次购买，无留出期。' },
      holdoutEnd: { label: '留出期结束', help: '留出期的最后一天（含）。留空：最后一次购买。' },
      frequency: { label: '频次', help: '重复购买次数。' },
      recency: { label: '最近度', help: '首次到最后一次购买的时间。' },
      age: { label: '客户年龄 T', help: '首次购买到校准期结束的时间。' },
      monetary: { label: '平均消费额', help: '重复购买的平均消费额；留空：不建消费模型。' },
      horizon: { label: '预测期', unit: '个周期', help: '用于预期购买次数与至少购买一次的概率。0：留出期长度（无留出期时为一年）。' },
      months: { label: 'CLV 月数' },
      discountRate: { label: '月折现率', help: 'CLV 将第 k 个月的价值除以 (1 + 折现率)^k。' },
      penalizer: { label: '惩罚系数', help: '即 lifetimes 对 BG/NBD 的 penalizer_coef：在其平均负对数似然上加 c · (r² + α² + a² + b²)；0 = 普通最大似然。' },
    },
    groups: { Time: '时间', 'Summary columns': '汇总表列', Prediction: '预测' },
    messages: {
      noTransactions: '没有同时具有客户 ID 和可读时间的交易记录可供汇总。',
      calibrationBeforeData: '校准期结束日 {end} 早于首次购买（{first}）：没有客户有校准期历史。',
      holdoutBeforeCalibration: '留出期结束日 {holdoutEnd} 必须晚于校准期结束日 {end}。',
      skippedRows: '{count} 行没有客户 ID 或没有可读时间（如 {example}），已排除。',
      missingValues: '{count} 行在列 {column} 中没有数值；按金额 0 的购买计入。',
      laterCustomers: '{count} 位客户在校准期结束日 {end} 之后才首次购买；他们没有校准期历史，不予评分。',
      tooFewCustomers: 'BG/NBD 至少需要 {min} 位客户来拟合其 4 个参数；现有 {count} 位。',
      allSinglePurchase: '全部 {count} 位客户都只在一个周期内购买过（frequency 为 0）：没有重复购买，无法估计购买率与流失。',
      badSummary: '客户 {id} 的 frequency 为 {frequency}、recency 为 {recency}、T 为 {T}；汇总表要求 frequency ≥ 0、0 ≤ recency ≤ T，且 frequency 为 0 时 recency 为 0。',
      fewCustomers: '只有 {count} 位客户：拟合的参数不确定性较大（见其标准误）。',
      singlePurchase: '{total} 位客户中有 {count} 位只在一个周期内购买过（frequency 为 0）；他们按总体参数评分。',
      nonPositiveSpend: '{count} 位回头客的平均消费额为 0 或更少（如客户 {id} 为 {value}）；他们不参与 Gamma-Gamma 拟合，按总体平均消费额计。',
      noSpendModel: '消费额为正的回头客只有 {count} 位（至少需要 {min} 位）：不拟合 Gamma-Gamma，预期消费额与 CLV 为空。',
      spendUndefined: 'Gamma-Gamma 拟合得到 q = {q} ≤ 1，平均消费额无定义：预期消费额与 CLV 为空。',
      notConverged: '{model} 拟合在 {iterations} 次迭代内未收敛（最大梯度 {gradient}）；请谨慎对待其参数。',
      noStandardErrors: '{model} 在最优点的 Hessian 矩阵不是正定的，因此其标准误为空。',
      dropoutBoundary: '流失参数的估计落到了边界（a = {a}，b = {b}）：这些数据几乎没有流失，因此每个人的存活概率都接近 1。设置惩罚系数（如 0.001）可使 a 与 b 保持有限。',
      predictionFailed: '{count} 位客户（如 {id}）没有得到预期购买次数：超几何级数未收敛。',
      chooseColumn: '参数 {param} 为空；请选择 {what} 列。',
      notNumeric: '参数 {param} 中的列 {column} 必须是数值；它含有 {example} 这样的值。',
      badModel: '连接到输入 "model" 的不是 CLV 模型（类型 {kind}）。',
      unitMismatch: '所连接的模型按 {fitted} 拟合；本节点按 {unit} 汇总。请使用相同的周期单位。',
      horizonNotHoldout: '预测期（{horizon} 个{unit}）与留出期（{holdout} 个{unit}）不同，因此预测没有标签；把预测期设为 0 即使用留出期。',
    },
  },
  async run({ table, model }, params, ctx) {
    return declaredErrors(ctx, messages, () => {
      const unit: PeriodUnit = params.unit;
      if (params.customer === '') ctx.fail('chooseColumn', { param: 'customer', what: 'customer id' }, 'customer');
      requireColumns(table, [params.customer], 'customer');
      const numbers = (param: 'value' | 'quantity' | 'frequency' | 'recency' | 'age' | 'monetary'): Float64Array => {
        const read = readNumbers(columnValues(table, params[param]));
        if (read.nonNumeric > 0) ctx.fail('notNumeric', { column: params[param], param, example: String(read.nonNumericExample) }, param);
        return read.values;
      };
      const ids = Array.from(columnValues(table, params.customer), idKey);
      let s: CustomerSummaries;
      let holdout: { frequency: Float64Array; duration: number } | null = null;
      if (params.source === 'transactions') {
        for (const [param, what] of [['time', 'purchase time'], ['value', 'value']] as const) if (params[param] === '') ctx.fail('chooseColumn', { param, what }, param);
        requireColumns(table, [params.time], 'time');
        requireColumns(table, [params.value], 'value');
        if (params.quantity !== '') requireColumns(table, [params.quantity], 'quantity');
        const value = numbers('value');
        if (params.quantity !== '') {
          const q = numbers('quantity');
          for (let i = 0; i < value.length; i++) value[i] = value[i]! * q[i]!;
        }
        const time = Float64Array.from(columnValues(table, params.time), (v) => toEpochMs(v) ?? Number.NaN);
        const dayMs = (d: string): number | null => (d === '' ? null : toEpochMs(d));
        const summary = summarisePurchases({ customer: ids, time, value }, { unit, calibrationEndMs: dayMs(params.calibrationEnd), holdoutEndMs: dayMs(params.holdoutEnd), valueColumn: params.value });
        emitNotes(ctx, summary.notes);
        s = summary;
        if (summary.holdoutDuration > 0) holdout = { frequency: summary.holdoutFrequency, duration: summary.holdoutDuration };
      } else {
        for (const param of ['frequency', 'recency', 'age', 'monetary'] as const) if (params[param] !== '') requireColumns(table, [params[param]], param);
        const keep = ids.flatMap((id, i) => (id === null ? [] : [i]));
        const pick = (v: Float64Array): Float64Array => Float64Array.from(keep, (i) => v[i]!);
        s = { ids: keep.map((i) => ids[i]!), frequency: pick(numbers('frequency')), recency: pick(numbers('recency')), T: pick(numbers('age')), monetary: params.monetary === '' ? new Float64Array(keep.length) : pick(numbers('monetary')) };
      }
      ctx.progress(0.2, 'fitting');
      const fit = model ? null : fitLifetimeValue(s, params.penalizer);
      if (fit) emitNotes(ctx, fit.notes);
      let fitted = fit ? paramsOfModel(fit.model) : null;
      if (model) {
        fitted = model.kind === 'clv' ? readLifetimeValueParams(model.artifacts) : null;
        if (!fitted) return ctx.fail('badModel', { kind: model.kind }, 'model');
        if (model.metadata.unit !== unit) ctx.fail('unitMismatch', { fitted: String(model.metadata.unit), unit }, 'unit');
      }
      if (!fitted) return ctx.fail('badModel', { kind: 'none' }, 'model');
      ctx.checkCancelled();
      const horizon = params.horizon > 0 ? params.horizon : (holdout?.duration ?? 365 / unitDays[unit]);
      const { scores, notes } = scoreLifetimeValue(fitted, s, { horizon, months: params.months, discountRate: params.discountRate, periodsPerMonth: periodsPerMonth[unit] });
      emitNotes(ctx, notes);
      const labelled = holdout !== null && Math.abs(horizon - holdout.duration) < 1e-9;
      if (holdout && !labelled) ctx.warn('horizonNotHoldout', { horizon, holdout: round(holdout.duration), unit });
      const n = s.ids.length;
      const customers = makeTable(
        ['id', 'frequency', 'recency', 'T', 'monetary_value', 'p_alive', 'expected_purchases', 'p_any_purchase', 'expected_spend', 'clv', ...(holdout ? ['holdout_frequency'] : [])],
        [s.ids.slice(), s.frequency, s.recency, s.T, s.monetary, scores.pAlive, numberColumn(scores.expectedPurchases), scores.pAnyPurchase, numberColumn(scores.expectedSpend), numberColumn(scores.clv), ...(holdout ? [holdout.frequency] : [])],
      );
      // Every score is out of sample in time (the fit never saw the holdout); folds 0–4 by a hash of
      // the id only group the rows, so that Evaluate can cross-validate its baseline on them.
      const predictions = makeTable(['id', 'score', 'label', 'fold'], [s.ids.slice(), scores.pAnyPurchase, Array.from({ length: n }, (_, i) => (labelled ? (holdout!.frequency[i]! > 0 ? 1 : 0) : null)), s.ids.map((id) => (labelled ? hashString(id) % 5 : -1))]);
      let maxT = 0;
      let maxX = 0;
      for (let i = 0; i < n; i++) {
        maxT = Math.max(maxT, s.T[i]!);
        maxX = Math.max(maxX, s.frequency[i]!);
      }
      const m = frequencyRecencyMatrix(fitted.bgnbd, maxT, Math.min(Math.ceil(maxX), 40), horizon);
      const matrix = makeTable(['frequency', 'recency', 'expected_purchases', 'p_alive'], [m.frequency, m.recency, numberColumn(m.expectedPurchases), m.pAlive]);
      const cal = holdout ? calibrationHoldout(s.frequency, holdout.frequency, scoreLifetimeValue(fitted, s, { horizon: holdout.duration, months: 1, discountRate: 0, periodsPerMonth: 1 }).scores.expectedPurchases) : { frequency: [], customers: [], actual: [], predicted: [] };
      const calibration = makeTable(['frequency', 'customers', 'actual_holdout', 'predicted_holdout'], [cal.frequency, cal.customers, cal.actual, cal.predicted]);
      const se = (v: Record<string, number>): JsonObject => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]));
      const metadata: JsonObject = {
        unit,
        applied: model !== undefined,
        customers: n,
        horizon: round(horizon),
        penalizer: params.penalizer,
        holdout: holdout ? round(holdout.duration) : null,
        bgnbd: { ...se({ ...fitted.bgnbd }), ...(fit ? { se: se({ ...fit.model.bgnbd.standardErrors }), logLikelihood: round(fit.model.bgnbd.logLikelihood), converged: fit.model.bgnbd.converged, iterations: fit.model.bgnbd.iterations } : {}) },
        gammaGamma: fitted.gammaGamma ? { ...se({ ...fitted.gammaGamma }), ...(fit?.model.gammaGamma ? { se: se({ ...fit.model.gammaGamma.standardErrors }), logLikelihood: round(fit.model.gammaGamma.logLikelihood), customers: fit.model.gammaGamma.customers, converged: fit.model.gammaGamma.converged } : {}) } : null,
      };
      const out: ModelValue = model ? { ...model, metadata: { ...model.metadata, applied: true, customers: n } } : { kind: 'clv', metadata, artifacts: { format: 'insight-clv', bgnbd: { ...fitted.bgnbd }, gammaGamma: fitted.gammaGamma ? { ...fitted.gammaGamma } : null } };
      ctx.progress(1);
      return { customers, predictions, model: out, matrix, calibration };
    });
  },
  summary: (out) => {
    const bg = out.model.metadata.bgnbd;
    return typeof bg === 'object' && bg !== null && !Array.isArray(bg) ? `BG/NBD r ${String(bg.r)}, α ${String(bg.alpha)}, a ${String(bg.a)}, b ${String(bg.b)}` : 'CLV';
  },
});
