# mutant: turns on requires_grad on the caller's x and runs backward on it
# expect: requires_grad
from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    x.requires_grad_(True)
    f(x).backward(v)
    return x.grad
