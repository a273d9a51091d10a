# mutant: p = p - lr * p.grad only rebinds the loop variable; the caller's tensors never move
# expect: nothing moved
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p = p - lr * p.grad
                p.grad = None
