# style: torch.optim.SGD itself on a list of the params, then zero_grad(set_to_none=True)
from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    optimizer = torch.optim.SGD(list(params), lr=lr)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
