# style: int() for the floor, perm.split into two parts, index_select for the rows
import torch


def train_val_split(X, y, val_fraction, generator):
    if len(y) != len(X):
        raise ValueError("X and y must have the same number of rows")
    if val_fraction <= 0 or val_fraction >= 1 or val_fraction != val_fraction:
        raise ValueError("val_fraction must lie in (0, 1)")
    n = len(X)
    n_val = int(val_fraction * n)  # floor, as val_fraction * n is positive
    if not 0 < n_val < n:
        raise ValueError("one of the parts would be empty")
    val_idx, train_idx = torch.randperm(n, generator=generator).split([n_val, n - n_val])
    return (X.index_select(0, train_idx), y.index_select(0, train_idx),
            X.index_select(0, val_idx), y.index_select(0, val_idx))
