# mutant: stacks the gradients into one tensor instead of returning a list
# expect: should return a list
from collections.abc import Callable

import torch


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    grads = []
    for _ in range(steps):
        if zero_grad:
            x.grad = None
        f(x).backward()
        grads.append(x.grad.clone())
    return torch.stack(grads)
