# mutant: appends x.grad itself, not a copy, so every entry is one tensor
# expect: same tensor
from collections.abc import Callable

import torch


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    grads = []
    for _ in range(steps):
        if zero_grad and x.grad is not None:
            x.grad.zero_()
        f(x).backward()
        grads.append(x.grad)
    return grads
