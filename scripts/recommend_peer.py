"""Same-run peer for the recommend kernel's fit: binary item-item cosine by scipy.sparse.

Usage: /usr/bin/python3 scripts/recommend_peer.py RECEIPTS.csv [CAP] [K]
Reads a Dunnhumby-style receipts table (household_key, PRODUCT_ID, QUANTITY), caps each
customer's history at CAP distinct products (most bought first, as src/ml/recommend.ts does),
computes C = XᵀX in blocks of items and keeps each item's K most similar (cos = c_ij / √(n_i n_j)),
and prints the CPU seconds of the fit (process time, one thread) as JSON. A timing peer only:
it does not score customers or break ties the kernel's way.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

path = sys.argv[1]
cap = int(sys.argv[2]) if len(sys.argv) > 2 else 500
k = int(sys.argv[3]) if len(sys.argv) > 3 else 100
df = pd.read_csv(path, usecols=['household_key', 'PRODUCT_ID', 'QUANTITY'])
df = df[df['QUANTITY'] > 0]
t0 = time.process_time()
users, u = np.unique(df['household_key'].to_numpy(), return_inverse=True)
items, i = np.unique(df['PRODUCT_ID'].to_numpy(), return_inverse=True)
counts = sp.coo_matrix((df['QUANTITY'].to_numpy(dtype=np.float64), (u, i)), shape=(len(users), len(items))).tocsr()
counts.sum_duplicates()
# Cap: keep each row's `cap` largest counts (ties: lower item index).
rows, cols, vals = [], [], []
for r in range(counts.shape[0]):
    s, e = counts.indptr[r], counts.indptr[r + 1]
    c, v = counts.indices[s:e], counts.data[s:e]
    if len(c) > cap:
        order = np.lexsort((c, -v))[:cap]
        c = c[order]
    rows.append(np.full(len(c), r))
    cols.append(c)
x = sp.csr_matrix((np.ones(sum(len(c) for c in cols)), (np.concatenate(rows), np.concatenate(cols))), shape=counts.shape)
xt = x.T.tocsr()
norm = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
nnz = 0
kept = 0
block = 2000
for start in range(0, x.shape[1], block):
    c = (xt[start:start + block] @ x).tocsr()
    for r in range(c.shape[0]):
        s, e = c.indptr[r], c.indptr[r + 1]
        other = c.indices[s:e] != start + r
        js = c.indices[s:e][other]
        if len(js) == 0:
            continue
        nnz += len(js)
        sims = c.data[s:e][other] / (norm[start + r] * norm[js])
        top = np.argpartition(-sims, k - 1)[:k] if len(js) > k else np.arange(len(js))
        kept += len(top)
fit = time.process_time() - t0
print(json.dumps({'peer': 'scipy.sparse co-occurrence + argpartition', 'rows': len(df), 'users': len(users), 'items': len(items), 'cap': cap, 'k': k, 'nonzeroPairs': int(nnz), 'neighboursKept': int(kept), 'fitCpuSeconds': round(fit, 2)}))
