# mutant: restores with model.training = was_training, which leaves the submodules in eval mode
# expect: sets only the top one
from collections.abc import Callable

import torch
from torch import nn


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> float:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return float(loss_fn(model(X), y))
    finally:
        model.training = was_training
