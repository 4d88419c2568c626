/**
 * `npm run bench -- auto [--json] [--customers N]`: the guided start's purchase-intent AUC
 * beside scikit-learn on the same customers, labels, folds and dates. For each file (Online
 * Retail, and simulator output) it runs `insight auto`, reads roles.json (cutoff, columns) and
 * the LSTM's out-of-fold predictions (ids, labels, folds), then fits sklearn's
 * LogisticRegression and HistGradientBoostingClassifier on RFM-style totals of the clean rows
 * before the cutoff (recency, frequency, monetary, tenure, rows and units in the observed
 * window) under the same folds. Goal: ours ≥ best peer − 0.01.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../node-host.ts';
import { report, type BenchOptions } from './report.ts';

const SKLEARN_SCRIPT = String.raw`
import sys, json
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.metrics import roc_auc_score
clean, preds, roles_path = sys.argv[1:4]
roles = json.load(open(roles_path))
col = {r['role']: r['column'] for r in roles['roles']}
cutoff = pd.Timestamp(roles['cutoff'], tz='UTC')
period_days = {'day': 1, 'week': 7, 'month': 30.44}[roles['period']]
start = cutoff - pd.Timedelta(days=period_days * roles['steps'])
t = pd.read_csv(clean, dtype={col['customer']: str}, low_memory=False)
t['_time'] = pd.to_datetime(t[col['time']], utc=True)
t['_id'] = t[col['customer']].str.replace(r'\.0+$', '', regex=True)
t = t[t['_time'] < cutoff]
q = t[col['quantity']].astype(float) if 'quantity' in col else pd.Series(1.0, index=t.index)
if 'price' in col: m = q * t[col['price']].astype(float)
elif 'amount' in col: m = t[col['amount']].astype(float)
else: m = q
t = t.assign(_q=q, _m=m, _inv=t[col['invoice']].astype(str) if 'invoice' in col else t['_time'].dt.floor('D').astype(str))
g = t.groupby('_id')
f = pd.DataFrame({
  'recency': (cutoff - g['_time'].max()).dt.total_seconds() / 86400,
  'tenure': (cutoff - g['_time'].min()).dt.total_seconds() / 86400,
  'frequency': g['_inv'].nunique(),
  'monetary': g['_m'].sum(),
})
w = t[t['_time'] >= start].groupby('_id')
f['rows_window'] = w.size()
f['units_window'] = w['_q'].sum()
f = f.fillna(0)
p = pd.read_csv(preds, dtype={'id': str})
p = p[p['label'].notna()]
x = f.reindex(p['id']).fillna({'recency': 1e4, 'tenure': 0}).fillna(0)
x = np.sign(x.values) * np.log1p(np.abs(x.values))
y = p['label'].astype(int).values
folds = p['fold'].values
out = {'n': int(len(y)), 'positives': int(y.sum()), 'features': list(f.columns)}
for name, make in [('logistic', lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))),
                   ('hgb', lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0))]:
  s = np.zeros(len(y))
  for k in np.unique(folds):
    tr, te = folds != k, folds == k
    s[te] = make().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
  out[name] = float(roc_auc_score(y, s))
print(json.dumps(out))
`;

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

/** Runs the suite. */
export async function run(options: BenchOptions): Promise<void> {
  const python = findPython();
  const dir = mkdtempSync(join(tmpdir(), 'bench-auto-'));
  const customersArg = options.argv.indexOf('--customers');
  const simCustomers = customersArg >= 0 ? Number(options.argv[customersArg + 1]) : 1000;
  const sim = join(dir, 'sim');
  const gen = insight(['generate', '--customers', String(simCustomers), '--seed', '42', '--out', sim]);
  if (gen.code !== 0) throw new Error(`insight generate failed: ${gen.stderr}`);
  const files: { name: string; path: string }[] = [
    { name: 'online-retail', path: join(repoRoot, '..', 'shared', 'data', 'online-retail', 'online_retail_sample.csv') },
    { name: `simulator-${simCustomers}`, path: join(sim, 'transactions.csv') },
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
    const ours = summaryAuc(readJson(join(out, 'evaluate.metrics.json')));
    const record: Record<string, string | number | boolean | null> = {
      ours_lstm_auc: ours,
      cutoff: typeof roles === 'object' && roles !== null && 'cutoff' in roles ? String(roles.cutoff) : null,
      horizon_end: typeof roles === 'object' && roles !== null && 'horizonEnd' in roles ? String(roles.horizonEnd) : null,
      auto_seconds: seconds,
    };
    if (python) {
      const peer = spawnSync(python, ['-c', SKLEARN_SCRIPT, join(out, 'clean1.table.csv'), join(out, 'lstm.predictions.csv'), join(out, 'roles.json')], { encoding: 'utf8' });
      if (peer.status === 0) {
        const parsed: unknown = JSON.parse(peer.stdout.trim().split('\n').pop() ?? '{}');
        const logistic = numberField(parsed, 'logistic');
        const hgb = numberField(parsed, 'hgb');
        const best = Math.max(logistic, hgb);
        Object.assign(record, { customers: numberField(parsed, 'n'), positives: numberField(parsed, 'positives'), sklearn_logistic_auc: logistic, sklearn_hgb_auc: hgb, ours_minus_best: ours - best, within_001: ours >= best - 0.01 });
      } else record.sklearn_error = peer.stderr.trim().split('\n').pop() ?? 'failed';
    } else record.sklearn = 'not found (needs /usr/bin/python3 with sklearn and pandas)';
    report({ suite: 'auto', case: file.name, ...record }, options.json);
  }
}
