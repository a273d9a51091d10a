# mutant: a forward finite difference instead of autograd
# expect: the values are off
from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    h = 1e-4
    at = torch.tensor(x, dtype=torch.float64)
    return ((f(at + h) - f(at)) / h).item()
