# mutant: catches the forward's exception and returns nan
# expect: let the exception propagate
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
    except Exception:
        return float("nan")
    finally:
        model.train(was_training)
