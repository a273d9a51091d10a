# style: the permutation as a Python list, rows gathered one by one and stacked
import math

import torch


def train_val_split(X, y, val_fraction, generator):
    rows = X.shape[0]
    if y.shape[0] != rows:
        raise ValueError(f"{rows} rows in X, {y.shape[0]} in y")
    if not (val_fraction > 0 and val_fraction < 1):
        raise ValueError("val_fraction outside (0, 1)")
    n_val = math.floor(val_fraction * rows)
    n_train = rows - n_val
    if min(n_val, n_train) < 1:
        raise ValueError("empty part")
    order = torch.randperm(rows, generator=generator).tolist()

    def take(t, idx):
        return torch.stack([t[i] for i in idx])

    val, train = order[:n_val], order[n_val:]
    return take(X, train), take(y, train), take(X, val), take(y, val)
