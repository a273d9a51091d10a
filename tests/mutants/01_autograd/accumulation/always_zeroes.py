# mutant: clears the gradient every step, even when it should accumulate
# expect: did not accumulate
from collections.abc import Callable

import torch


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    grads = []
    for _ in range(steps):
        x.grad = None
        f(x).backward()
        grads.append(x.grad.clone())
    return grads
