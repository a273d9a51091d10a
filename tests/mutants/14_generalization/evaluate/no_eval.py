# mutant: never switches to eval mode: Dropout and BatchNorm behave as in training
# expect: call model.eval() before the forward
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    with torch.no_grad():
        return float(loss_fn(model(X), y))
