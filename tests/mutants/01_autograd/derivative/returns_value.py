# mutant: runs backward, then returns f(x) instead of the slope
# expect: not its slope
from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = f(point)
    y.backward()
    return y.item()
