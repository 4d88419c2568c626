/**
 * `npm run bench -- auto [--json] [--customers N]`: the guided start's AUC beside
 * scikit-learn on the same customers, labels, folds and dates. For each file (Online Retail,
 * Telco churn, simulator output, and the simulator rewritten as a headerless CDNOW-style log,
 * a Dunnhumby-style receipts table with day numbers, and a bank-marketing-style `;` table
 * without ids) it runs `insight auto`, then scripts/auto_peer.py reads roles.json and the
 * pipeline's own out-of-fold predictions (ids, labels, folds) and fits sklearn's
 * LogisticRegression and HistGradientBoostingClassifier under the same folds (see its
 * docstring). Goal: our best model ≥ best peer − 0.01.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../node-host.ts';
import { report, type BenchOptions } from './report.ts';
import { bankMarketing, cdnowLog, groceryReceipts, type ReceiptsForm, type TableForm } from '../../auto/variants.ts';

/** The peer script: sklearn on the pipeline's own customers, labels, folds and dates (read from roles.json). */
const PEER_SCRIPT = join(repoRoot, 'scripts', 'auto_peer.py');

function findPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import sklearn, pandas'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

function insight(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'insight.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stderr: r.stderr };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function summaryAuc(metrics: unknown): number {
  if (typeof metrics === 'object' && metrics !== null && 'summary' in metrics) {
    const s = metrics.summary;
    if (typeof s === 'object' && s !== null && 'roc_auc' in s && typeof s.roc_auc === 'number') return s.roc_auc;
  }
  return Number.NaN;
}

function numberField(value: unknown, key: string): number {
  if (typeof value === 'object' && value !== null && key in value) {
    const v: unknown = Reflect.get(value, key);
    if (typeof v === 'number') return v;
  }
  return Number.NaN;
}

/** Receipts reordered, with Chinese names, dd/mm/yyyy dates and GBK bytes. */
export const groceryZh: ReceiptsForm = {
  order: ['BASKET_ID', 'DAY', 'TRANS_TIME', 'household_key', 'PRODUCT_ID', 'SALES_VALUE', 'QUANTITY'],
  rename: { household_key: '家庭编号', BASKET_ID: '购物篮编号', DAY: '日期', PRODUCT_ID: '商品编号', QUANTITY: '数量', SALES_VALUE: '销售金额', STORE_ID: '门店编号', RETAIL_DISC: '零售折扣', TRANS_TIME: '交易时间', WEEK_NO: '周序号', COUPON_DISC: '优惠券折扣', COUPON_MATCH_DISC: '优惠券匹配折扣' },
  date: 'dd/mm/yyyy',
  encoding: 'gbk',
};

/** The bank table with Chinese names, another label name (是否认购), commas, and GBK bytes. */
export const bankZh: TableForm = {
  order: ['y', 'duration', 'age', 'job'],
  rename: { age: '年龄', job: '职业', marital: '婚姻状况', education: '教育程度', default: '违约', balance: '余额', housing: '房贷', loan: '个人贷款', contact: '联系方式', day: '日', month: '月份', duration: '通话时长', campaign: '本次联系次数', pdays: '距上次联系天数', previous: '此前联系次数', poutcome: '上次结果', y: '是否认购' },
  delimiter: ',',
  encoding: 'gbk',
};

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const python = findPython();
  const dir = mkdtempSync(join(tmpdir(), 'bench-auto-'));
  const customersArg = options.argv.indexOf('--customers');
  const simCustomers = customersArg >= 0 ? Number(options.argv[customersArg + 1]) : 1000;
  const sim = join(dir, 'sim');
  const gen = insight(['generate', '--customers', String(simCustomers), '--seed', '42', '--out', sim]);
  if (gen.code !== 0) throw new Error(`insight generate failed: ${gen.stderr}`);
  const text = readFileSync(join(sim, 'transactions.csv'), 'utf8');
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const shared = join(repoRoot, '..', 'shared', 'data');
  const files: { name: string; path: string }[] = [
    { name: 'online-retail', path: join(shared, 'online-retail', 'online_retail_sample.csv') },
    { name: 'telco-churn', path: join(shared, 'telco-churn', 'Telco-Customer-Churn.csv') },
    { name: `simulator-${simCustomers}`, path: join(sim, 'transactions.csv') },
    { name: `cdnow-headerless-${simCustomers}`, path: write('cdnow.csv', cdnowLog(text, { padded: true })) },
    { name: `grocery-day-numbers-${simCustomers}`, path: write('transaction_data.csv', groceryReceipts(text)) },
    { name: 'bank-semicolon-5000', path: write('bank-full.csv', bankMarketing(5000)) },
    { name: `cdnow-aligned-txt-${simCustomers}`, path: write('CDNOW_master.txt', cdnowLog(text, { aligned: true, padded: true })) },
    { name: `cdnow-padded-quoted-header-${simCustomers}`, path: write('cdnow-quoted.csv', cdnowLog(text, { padded: true, quoted: true, header: true })) },
    { name: `grocery-zh-gbk-ddmmyyyy-${simCustomers}`, path: write('receipts-zh.csv', groceryReceipts(text, groceryZh)) },
    { name: 'bank-zh-gbk-comma-5000', path: write('bank-zh.csv', bankMarketing(5000, 7, bankZh)) },
  ];
  for (const file of files) {
    const out = join(dir, file.name);
    const started = performance.now();
    const r = insight(['auto', file.path, '--out', out]);
    const seconds = (performance.now() - started) / 1000;
    if (r.code !== 0) {
      report({ suite: 'auto', case: file.name, error: r.stderr.trim().split('\n').pop() ?? 'failed' }, options.json);
      continue;
    }
    const roles = readJson(join(out, 'roles.json'));
    const record: Record<string, string | number | boolean | null> = {
      shape: typeof roles === 'object' && roles !== null && 'shape' in roles ? String(roles.shape) : null,
      cutoff: typeof roles === 'object' && roles !== null && 'cutoff' in roles ? String(roles.cutoff) : null,
      horizon_end: typeof roles === 'object' && roles !== null && 'horizonEnd' in roles ? String(roles.horizonEnd) : null,
      ours_evaluate_auc: summaryAuc(readJson(join(out, 'evaluate.metrics.json'))),
      auto_seconds: seconds,
    };
    if (python) {
      const peer = spawnSync(python, [PEER_SCRIPT, out], { encoding: 'utf8' });
      if (peer.status === 0) {
        const parsed: unknown = JSON.parse(peer.stdout.trim().split('\n').pop() ?? '{}');
        const mine = typeof parsed === 'object' && parsed !== null && 'ours' in parsed && typeof parsed.ours === 'object' && parsed.ours !== null ? parsed.ours : {};
        for (const [model, auc] of Object.entries(mine)) if (typeof auc === 'number') record[`ours_${model}_auc`] = auc;
        const best = numberField(parsed, 'best_peer');
        const ours = numberField(parsed, 'best_ours');
        Object.assign(record, { customers: numberField(parsed, 'n'), positives: numberField(parsed, 'positives'), sklearn_logistic_auc: numberField(parsed, 'sklearn_logistic'), sklearn_hgb_auc: numberField(parsed, 'sklearn_hgb'), ours_best_minus_peer_best: ours - best, within_001: ours >= best - 0.01 });
      } else record.sklearn_error = peer.stderr.trim().split('\n').pop() ?? 'failed';
    } else record.sklearn = 'not found (needs /usr/bin/python3 with sklearn and pandas)';
    report({ suite: 'auto', case: file.name, ...record }, options.json);
  }
}
