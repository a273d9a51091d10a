# mutant: walks params twice (update, then clear), so a generator is exhausted before clearing
# expect: only once
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.sub_(lr * p.grad)
    for p in params:
        p.grad = None
