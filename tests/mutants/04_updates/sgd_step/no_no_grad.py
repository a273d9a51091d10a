# mutant: updates in place without torch.no_grad(), which autograd refuses for a leaf
# expect: leaf
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    for p in params:
        if p.grad is not None:
            p -= lr * p.grad
            p.grad = None
