# style: .backward() on a detached clone under torch.enable_grad(), then leaf.grad
from collections.abc import Callable

import torch


def autograd_grad(loss_fn: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor) -> torch.Tensor:
    leaf = params.detach().clone()
    leaf.requires_grad = True
    with torch.enable_grad():
        loss = loss_fn(leaf)
        loss.backward()
    return leaf.grad
