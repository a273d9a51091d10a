# mutant: builds x with torch's default dtype, float32, so f gets the wrong dtype and precision
# expect: float64
from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    point = torch.tensor(x, requires_grad=True)
    f(point).backward()
    return point.grad.item()
