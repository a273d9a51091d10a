"""Kata 02_losses/mse: the mean squared error, written by hand."""

import torch


def mse(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the mean of the squared differences between y_pred and y, as a 0-d tensor.

    - Keep it differentiable with respect to y_pred (the training loops backpropagate through it).
    - Use plain tensor operations: no torch.nn, no torch.nn.functional.
    - Raise ValueError when the shapes differ. Never let an (N, 1) column broadcast against an
      (N,) vector: that silently builds an N x N matrix and a wrong loss.
    """
    raise NotImplementedError("02_losses/mse: your code goes here (see the docstring)")
