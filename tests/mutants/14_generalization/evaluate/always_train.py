# mutant: switches back to train mode whatever the mode was before
# expect: must stay so
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    model.eval()
    with torch.no_grad():
        loss = float(loss_fn(model(X), y))
    model.train()
    return loss
