# mutant: puts new tensors into the list (with autograd recording), so params are no longer leaves
# expect: leaf
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    for i, p in enumerate(params):
        if p.grad is not None:
            params[i] = p - lr * p.grad
