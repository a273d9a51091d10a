# style: torch.autograd.grad instead of backward(), requires_grad_() after building, float() not .item()
from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    point = torch.tensor(float(x), dtype=torch.float64).requires_grad_()
    (slope,) = torch.autograd.grad(f(point), point)
    return float(slope)
