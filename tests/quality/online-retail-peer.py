"""scikit-learn peer for the Online Retail intent check (run with a Python that has sklearn:
/usr/bin/python3 tests/quality/online-retail-peer.py ../shared/data/online-retail/online_retail_sample.csv).

Same customers and label as public/examples/online-retail-intent.json: rows with a customer id,
an invoice not starting with "C", quantity > 0 and unit price > 0; customers with a purchase
before the cutoff 2011-09-08; label = a purchase in [2011-09-08, 2011-12-09). Features:
recency (days from the last purchase to the cutoff), frequency (distinct invoices), monetary
(sum of quantity x price) and the number of order lines in each of the 10 calendar months
counted back from the cutoff. Model: StandardScaler + LogisticRegression (C=1, lbfgs) under
StratifiedKFold(5, shuffle, random_state=0); prints the out-of-fold ROC AUC as JSON.
"""
import csv
import json
import sys
from datetime import datetime, timezone

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def utc(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)


def month_back(d, months):
    y, m = d.year, d.month - months
    while m <= 0:
        m += 12
        y -= 1
    return d.replace(year=y, month=m)


cutoff = datetime(2011, 9, 8, tzinfo=timezone.utc)
horizon = datetime(2011, 12, 9, tzinfo=timezone.utc)
steps = 10
starts = [month_back(cutoff, steps - k) for k in range(steps)]

rows = []
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        cid = r["CustomerID"].strip()
        if not cid or r["InvoiceNo"].startswith("C"):
            continue
        q, p = float(r["Quantity"]), float(r["UnitPrice"])
        if q <= 0 or p <= 0:
            continue
        rows.append((str(int(float(cid))), r["InvoiceNo"], utc(r["InvoiceDate"]), q * p))

last, invoices, money, counts, bought = {}, {}, {}, {}, set()
for cid, inv, t, value in rows:
    if t < cutoff:
        last[cid] = max(last.get(cid, t), t)
        invoices.setdefault(cid, set()).add(inv)
        money[cid] = money.get(cid, 0.0) + value
        c = counts.setdefault(cid, [0] * steps)
        for k in range(steps):
            end = starts[k + 1] if k + 1 < steps else cutoff
            if starts[k] <= t < end:
                c[k] += 1
    elif t < horizon:
        bought.add(cid)

ids = sorted(last, key=int)
X = np.array([[(cutoff - last[c]).total_seconds() / 86400, len(invoices[c]), money[c], *counts[c]] for c in ids])
y = np.array([1 if c in bought else 0 for c in ids])
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
p = cross_val_predict(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0), method="predict_proba")[:, 1]
print(json.dumps({"customers": len(ids), "positives": int(y.sum()), "oof_auc": roc_auc_score(y, p)}))
