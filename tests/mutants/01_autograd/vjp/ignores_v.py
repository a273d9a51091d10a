# mutant: backpropagates from f(x).sum(), so v never enters the result
# expect: v is missing
from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_(True)
    f(leaf).sum().backward()
    return leaf.grad
