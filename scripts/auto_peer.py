"""scikit-learn peers for `insight auto`, on the customers, labels, folds and dates it chose.

usage: /usr/bin/python3 scripts/auto_peer.py OUT_DIR   (OUT_DIR as `insight auto --out` wrote it)

Prints one JSON line: n, positives, ours (the pipeline's AUC per model), and sklearn's
logistic and hist-gradient-boosting AUC under the same folds.

Transactions: reads roles.json (columns, cutoff, period, steps), the clean rows
(clean1.table.csv) and the LSTM's out-of-fold predictions (lstm.predictions.csv: id, label,
fold); ours are the LSTM's, the trees' and the logistic regression's (logit) out-of-fold AUC
where the pipeline has them. The peer's features are its own, computed here from the clean
rows: RFM-style totals of the clean rows before the cutoff (recency, tenure, frequency,
monetary, rows and units in the observed window), log1p-scaled.

Customer tables: reads the clean table (clean.table.csv) and the trees' out-of-fold
predictions (trees.predictions.csv); rows join by the id column named in roles.json, else by
row number (1 = the first clean row, as the classify node numbers them); every other column
but the label is a feature (text one-hot for logistic regression, categorical for the trees).
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def oof(make, x, y, folds):
    s = np.zeros(len(y))
    for k in np.unique(folds):
        tr, te = folds != k, folds == k
        s[te] = make().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    return float(roc_auc_score(y, s))


def ours(out, names):
    found = {}
    for name in names:
        path = os.path.join(out, f'{name}.predictions.csv')
        if os.path.exists(path):
            p = pd.read_csv(path)
            p = p[p['label'].notna()]
            found[name] = float(roc_auc_score(p['label'].astype(int), p['score']))
    return found


def transactions(out, roles):
    col = {r['role']: r['column'] for r in roles['roles']}
    cutoff = pd.Timestamp(roles['cutoff'], tz='UTC')
    period_days = {'day': 1, 'week': 7, 'month': 30.44}[roles['period']]
    start = cutoff - pd.Timedelta(days=period_days * roles['steps'])
    t = pd.read_csv(os.path.join(out, 'clean1.table.csv'), dtype={col['customer']: str}, low_memory=False)
    t['_time'] = pd.to_datetime(t[col['time']], utc=True)
    t['_id'] = t[col['customer']].str.replace(r'\.0+$', '', regex=True)
    t = t[t['_time'] < cutoff]
    q = t[col['quantity']].astype(float) if 'quantity' in col else pd.Series(1.0, index=t.index)
    if 'price' in col:
        m = q * t[col['price']].astype(float)
    elif 'amount' in col:
        m = t[col['amount']].astype(float)
    else:
        m = q
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
    p = pd.read_csv(os.path.join(out, 'lstm.predictions.csv'), dtype={'id': str})
    p = p[p['label'].notna()]
    x = f.reindex(p['id']).fillna({'recency': 1e4, 'tenure': 0}).fillna(0)
    x = np.sign(x.values) * np.log1p(np.abs(x.values))
    y = p['label'].astype(int).values
    folds = p['fold'].values
    result = {'n': int(len(y)), 'positives': int(y.sum()), 'features': list(f.columns), 'ours': ours(out, ['lstm', 'trees', 'logit'])}
    result['sklearn_logistic'] = oof(lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)), x, y, folds)
    result['sklearn_hgb'] = oof(lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0), x, y, folds)
    return result


def customers(out, roles):
    col = {r['role']: r['column'] for r in roles['roles']}
    label, id_col = col['label'], col.get('customer')
    t = pd.read_csv(os.path.join(out, 'clean.table.csv'), low_memory=False)
    p = pd.read_csv(os.path.join(out, 'trees.predictions.csv'), dtype={'id': str})
    if id_col is not None:
        t.index = t[id_col].astype(str).str.replace(r'\.0+$', '', regex=True)
        t = t.drop(columns=[id_col])
    else:
        t.index = [str(i + 1) for i in range(len(t))]
    t = t.reindex(p['id'])
    x = t.drop(columns=[label])
    text = [c for c in x.columns if x[c].dtype == object]
    numeric = [c for c in x.columns if c not in text]
    y = p['label'].astype(int).values
    folds = p['fold'].values
    onehot = pd.get_dummies(x, columns=text, dummy_na=True).astype(float).fillna(x[numeric].median()).values
    coded = x.copy()
    for c in text:
        coded[c] = coded[c].astype('category').cat.codes.replace(-1, np.nan)
    mask = [c in text for c in coded.columns]
    result = {'n': int(len(y)), 'positives': int(y.sum()), 'features': list(x.columns), 'ours': ours(out, ['trees', 'logit'])}
    result['sklearn_logistic'] = oof(lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)), onehot, y, folds)
    result['sklearn_hgb'] = oof(lambda: HistGradientBoostingClassifier(categorical_features=mask, random_state=0), coded.values.astype(float), y, folds)
    return result


def main():
    out = sys.argv[1]
    roles = json.load(open(os.path.join(out, 'roles.json')))
    result = transactions(out, roles) if roles['shape'] == 'transactions' else customers(out, roles)
    best_peer = max(result['sklearn_logistic'], result['sklearn_hgb'])
    best_ours = max(result['ours'].values()) if result['ours'] else float('nan')
    result.update({'shape': roles['shape'], 'best_peer': best_peer, 'best_ours': best_ours, 'ours_minus_best_peer': best_ours - best_peer})
    print(json.dumps(result))


if __name__ == '__main__':
    main()
