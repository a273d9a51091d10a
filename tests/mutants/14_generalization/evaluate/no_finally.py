# mutant: restores the mode only when the forward succeeds (no try/finally)
# expect: finally
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    was_training = model.training
    model.eval()
    with torch.no_grad():
        loss = float(loss_fn(model(X), y))
    model.train(was_training)
    return loss
