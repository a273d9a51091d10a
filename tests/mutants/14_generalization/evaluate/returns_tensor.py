# mutant: returns the loss as a 0-d tensor
# expect: python float
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return loss_fn(model(X), y)
    finally:
        model.train(was_training)
