# mutant: switches to eval mode and never switches back
# expect: left the model in eval mode
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    model.eval()
    with torch.no_grad():
        return float(loss_fn(model(X), y))
