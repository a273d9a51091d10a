# style: a helper for one step and a list comprehension; torch.clone(x.grad)
from collections.abc import Callable

import torch


def _one_step(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, zero_grad: bool) -> torch.Tensor:
    if zero_grad:
        x.grad = None
    f(x).backward()
    return torch.clone(x.grad)


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    return [_one_step(f, x, zero_grad) for _ in range(steps)]
