# mutant: trains a deep copy of the model, so the caller's model never learns
# expect: in place
"""Kata 11_networks/fit_xor: train a network on XOR, the problem no linear model can solve."""

import copy

import torch
import torch.nn.functional as F  # noqa: F401 - the stub does not use it yet; your solution will
from torch import nn


def fit_xor(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float,
            epochs: int) -> list[float]:
    """Train `model` in place with binary cross-entropy on logits and plain SGD; return the losses.

    `model` is ANY nn.Module mapping X of shape (N, D) to logits of shape (N, 1); y holds the
    0/1 labels, shape (N, 1). Make one `torch.optim.SGD(model.parameters(), lr=lr)`, then in
    each of the `epochs` epochs:

        loss = F.binary_cross_entropy_with_logits(model(X), y)
        record loss as a Python float (before the update)
        zero_grad, backward, step

    Return the list of losses, one Python float per epoch. Keep F.binary_cross_entropy_with_logits
    (or nn.BCEWithLogitsLoss()): a hand-written max/abs formula has the same values but another
    gradient at a logit of exactly 0. X and y stay as they were.
    """
    model = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = F.binary_cross_entropy_with_logits(model(X), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses
