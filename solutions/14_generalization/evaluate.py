"""Kata 14_generalization/evaluate: measure a model without changing it."""

from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    """Return loss_fn(model(X), y) as a Python float, the way a validation loss is measured.

    - One forward pass over all of X, in eval mode (model.eval(): Dropout passes everything
      through, BatchNorm normalises with its running statistics instead of the batch's) and
      under torch.no_grad() (no graph is built: nothing will call backward on it).
    - Afterwards the model is back in the mode it had before: in train mode if it was training,
      in eval mode if it was not. That holds also when the forward raises; the exception still
      reaches the caller (try/finally).
    - Leave the model as it was: its parameters, their .grad, and its buffers (BatchNorm's
      running statistics, which a forward in train mode would update).
    """
    ### BEGIN SOLUTION
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return float(loss_fn(model(X), y))
    finally:
        model.train(was_training)
    ### END SOLUTION
