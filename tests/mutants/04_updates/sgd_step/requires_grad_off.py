# mutant: switches requires_grad off to update in place and never switches it back on
# expect: no longer requires grad
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    for p in params:
        if p.grad is not None:
            p.requires_grad_(False)
            p -= lr * p.grad
            p.grad = None
