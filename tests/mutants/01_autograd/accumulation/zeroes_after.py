# mutant: clears the gradient after each backward instead of before, so a stale .grad survives
# expect: before each backward
from collections.abc import Callable

import torch


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    grads = []
    for _ in range(steps):
        f(x).backward()
        grads.append(x.grad.clone())
        if zero_grad:
            x.grad.zero_()
    return grads
