# mutant: builds the Jacobian and multiplies it by v on the wrong side (J·v, not vᵀ·J)
# expect: J·v
from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    jac = torch.autograd.functional.jacobian(f, x.detach())
    return (jac.reshape(v.numel(), x.numel()) @ v.reshape(-1)).reshape(x.shape)
