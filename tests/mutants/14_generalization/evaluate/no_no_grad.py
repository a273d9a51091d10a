# mutant: forgets torch.no_grad(): the forward builds a graph
# expect: torch.no_grad()
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    was_training = model.training
    model.eval()
    try:
        return float(loss_fn(model(X), y))
    finally:
        model.train(was_training)
