"""scikit-learn side of bench/ai-scorer/public.mjs: HistGradientBoosting with native categoricals
and LogisticRegression on one-hot + standardised features, on the same forward split and the same
derived inputs the node uses (category cap with an "other" bucket, date -> month and weekday).

usage: python3 sklearn_public.py TRAIN.csv TEST.csv LABEL TIME_COLUMN [MAX_CATEGORIES]
prints one JSON line.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

train_path, test_path, label, time_col = sys.argv[1:5]
cap = int(sys.argv[5]) if len(sys.argv) > 5 else 100
train = pd.read_csv(train_path, keep_default_na=False, na_values=[""])
test = pd.read_csv(test_path, keep_default_na=False, na_values=[""])
y_train = train.pop(label).astype(int).to_numpy()
y_test = test.pop(label).astype(int).to_numpy()


def parts(df):
    d = pd.to_datetime(df[time_col], errors="coerce")
    out = df.drop(columns=[time_col]).copy()
    out["month"] = d.dt.month
    out["weekday"] = (d.dt.dayofweek + 1) % 7
    return out


X_train, X_test = parts(train), parts(test)
cats = [c for c in X_train.columns if X_train[c].dtype == object]
nums = [c for c in X_train.columns if c not in cats]
# Same cap as the node: the most frequent categories seen at least twice, the rest "other".
codes_train, codes_test = X_train.copy(), X_test.copy()
for c in cats:
    counts = X_train[c].value_counts()
    keep = list(counts[counts >= 2].index[:cap])
    index = {v: i for i, v in enumerate(keep)}
    other = len(keep)
    for src, dst in ((X_train, codes_train), (X_test, codes_test)):
        dst[c] = src[c].map(lambda v: np.nan if pd.isna(v) else index.get(v, other)).astype(float)

out = {"rows_train": int(len(y_train)), "rows_test": int(len(y_test))}

mask = [c in cats for c in codes_train.columns]
t0 = time.perf_counter()
hgb = HistGradientBoostingClassifier(categorical_features=mask, random_state=42)
hgb.fit(codes_train.to_numpy(), y_train)
out["hgb_train_s"] = time.perf_counter() - t0
p = hgb.predict_proba(codes_test.to_numpy())[:, 1]
out["hgb"] = {"auc": roc_auc_score(y_test, p), "logloss": log_loss(y_test, p), "brier": brier_score_loss(y_test, p), "iterations": int(hgb.n_iter_)}

# One-hot of the capped codes (missing = no indicator), then every column standardised, as the node.
pre = ColumnTransformer(
    [
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), cats),
        ("num", SimpleImputer(strategy="mean"), nums),
    ]
)
enc_train = codes_train.copy()
enc_test = codes_test.copy()
for c in cats:
    enc_train[c] = enc_train[c].fillna(-1)
    enc_test[c] = enc_test[c].fillna(-1)
t0 = time.perf_counter()
lr = make_pipeline(pre, StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
lr.fit(enc_train, y_train)
out["lr_train_s"] = time.perf_counter() - t0
p = lr.predict_proba(enc_test)[:, 1]
out["lr"] = {"auc": roc_auc_score(y_test, p), "logloss": log_loss(y_test, p), "brier": brier_score_loss(y_test, p), "iterations": int(lr[-1].n_iter_[0])}
print(json.dumps(out))
