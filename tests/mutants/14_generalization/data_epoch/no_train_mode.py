# mutant: never calls model.train()
# expect: call model.train()
"""Kata 14_generalization/data_epoch: a Dataset, a DataLoader, and one epoch of minibatch training."""

from collections.abc import Callable

import torch
from torch import nn


class TensorPairs(torch.utils.data.Dataset):
    """The rows of X and y as a Dataset: item i is the pair (X[i], y[i])."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor) -> None:
        """Keep X and y; raise ValueError when they do not have the same number of rows."""
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}")
        self.X, self.y = X, y

    def __len__(self) -> int:
        """The number of rows."""
        return self.X.shape[0]

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The pair (X[i], y[i]), as a tuple."""
        return self.X[i], self.y[i]


def train_epoch(model: nn.Module, loader: torch.utils.data.DataLoader,
                optimizer: torch.optim.Optimizer,
                loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                device: torch.device | str) -> float:
    """Train `model` for one pass over `loader`; return the epoch's mean loss per sample.

    - Put the model in train mode first: model.train(). (The model is already on `device`.)
    - For each batch (xb, yb) the loader yields: move both to the device with .to(device),
      clear the gradients with optimizer.zero_grad(), compute loss = loss_fn(model(xb), yb)
      (a mean over the batch), then loss.backward() and optimizer.step().
    - Return a Python float: the sum of loss_b * n_b over the batches divided by the sum of the
      n_b, where loss_b is the batch's loss before its update and n_b = xb.shape[0]. A smaller
      last batch counts less: with batches of 4, 4 and 2 rows the weights are 0.4, 0.4 and 0.2,
      not a third each (that would be the mean of the batch means).
    - Raise ValueError if the loader yields no batch.
    """
    total, count = 0.0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * xb.shape[0]
        count += xb.shape[0]
    if count == 0:
        raise ValueError("the loader yielded no batch")
    return total / count
