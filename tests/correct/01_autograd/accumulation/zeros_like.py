# style: clears by assigning torch.zeros_like(x), copies with copy.deepcopy
import copy

import torch


def grads_over_steps(f, x, steps: int, zero_grad: bool) -> list:
    history = []
    for _ in range(steps):
        if zero_grad:
            x.grad = torch.zeros_like(x)
        f(x).backward()
        history.append(copy.deepcopy(x.grad))
    return history
