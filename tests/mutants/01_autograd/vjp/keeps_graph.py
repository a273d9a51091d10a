# mutant: asks autograd for a differentiable gradient and returns it with its graph
# expect: autograd graph
from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(leaf), leaf, v, create_graph=True)
    return grad
