# style: np.ndindex over multi-dimensional indices, each slope stored with float()
from collections.abc import Callable

import numpy as np
import torch


def central_difference(f: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor,
                       delta: float = 1e-3) -> torch.Tensor:
    with torch.no_grad():
        base = params.detach().clone()
        grad = torch.empty_like(base)
        for index in np.ndindex(*base.shape):
            up, down = base.clone(), base.clone()
            up[index] += delta
            down[index] -= delta
            grad[index] = float((f(up) - f(down)) / (2 * delta))
    return grad
