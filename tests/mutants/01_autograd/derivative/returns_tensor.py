# mutant: returns the gradient tensor itself instead of a Python float
# expect: Python float
from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(point).backward()
    return point.grad
