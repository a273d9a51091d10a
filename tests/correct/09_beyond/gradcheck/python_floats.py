# style: per-element Python floats, all() over a generator, early returns; grad_f on a float64 clone
from collections.abc import Callable

import torch


def _central(f: Callable[[torch.Tensor], torch.Tensor], base: torch.Tensor, i: int, eps: float) -> float:
    up, down = base.clone(), base.clone()
    up.view(-1)[i] += eps
    down.view(-1)[i] -= eps
    return (f(up).item() - f(down).item()) / (2 * eps)


def gradcheck(f, grad_f, x: torch.Tensor, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    base = x.detach().double().contiguous().clone()
    analytic = grad_f(base.clone())
    if tuple(analytic.shape) != tuple(base.shape):
        return False
    a = analytic.detach().double().reshape(-1).tolist()
    return all(abs(a[i] - n) <= atol + rtol * abs(n)
               for i, n in ((i, _central(f, base, i, eps)) for i in range(base.numel())))
