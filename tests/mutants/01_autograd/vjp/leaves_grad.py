# mutant: restores requires_grad afterwards but leaves the gradient in x.grad
# expect: x.grad changed
from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    had = x.requires_grad
    x.requires_grad_(True)
    f(x).backward(v)
    result = x.grad.clone()
    x.requires_grad_(had)
    return result
