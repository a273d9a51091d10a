# mutant: never checks that both parts are non-empty
# expect: should raise valueerror
"""Kata 14_generalization/split: hold out a validation set, at random but reproducibly."""

import math

import torch


def train_val_split(
    X: torch.Tensor, y: torch.Tensor, val_fraction: float, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Split the rows of (X, y) into a training part and a validation part.

    Return (X_train, y_train, X_val, y_val). Row i of X goes with row i of y; y has shape (N,)
    or (N, k), with N = X.shape[0].

    - Shuffle once: perm = torch.randperm(N, generator=generator), drawn exactly once and used
      for both X and y, so every (x, y) pair stays together.
    - n_val = math.floor(val_fraction * N) rows go to validation: perm[:n_val], in that order.
      The training rows are the rest, perm[n_val:], in that order. The two parts are disjoint
      and together hold every row.
    - Raise ValueError when y does not have N rows, when val_fraction is not strictly between
      0 and 1, or when either part would be empty.
    - Leave X and y as they were (indexing with a tensor of rows makes new tensors).

    Example: N = 20 and val_fraction 0.375 give 7 validation rows (floor(7.5)) and 13 training
    rows; N = 10 and 0.29 give 2 and 8.
    """
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]}")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be strictly between 0 and 1, got {val_fraction}")
    n_val = math.floor(val_fraction * n)
    perm = torch.randperm(n, generator=generator)
    val_rows, train_rows = perm[:n_val], perm[n_val:]
    return X[train_rows], y[train_rows], X[val_rows], y[val_rows]
