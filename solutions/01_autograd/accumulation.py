"""Kata 01_autograd/accumulation: backward adds into .grad, until you clear it."""

from collections.abc import Callable

import torch


def grads_over_steps(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, steps: int,
                     zero_grad: bool) -> list[torch.Tensor]:
    """Call `f(x).backward()` `steps` times and return what x.grad held after each call.

    x is a leaf tensor that requires grad. After each backward, append a copy of x.grad to the
    list (a copy: the tensor in x.grad itself may be changed in place by the next backward).
    - zero_grad=True: clear the gradient before each backward, the first one included, so each
      entry is the gradient of that one call. `x.grad = None` works every time; `x.grad.zero_()`
      crashes while x.grad is still None (before the first backward), so guard it with
      `if x.grad is not None`.
    - zero_grad=False: leave .grad alone, and watch backward add each new gradient onto it.
    Example: with f = lambda x: (x * 3).sum() and 3 steps, the entries are filled with 3, 6, 9
    when the gradients accumulate, and with 3, 3, 3 when they are cleared.
    """
    ### BEGIN SOLUTION
    grads = []
    for _ in range(steps):
        if zero_grad:
            x.grad = None
        f(x).backward()
        grads.append(x.grad.clone())
    return grads
    ### END SOLUTION
