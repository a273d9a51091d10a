# style: backward() with p.data updates and p.grad.zero_(), max() over the stable candidates
from collections.abc import Callable, Iterable

import torch


def is_stable(make_params: Callable[[], torch.Tensor], loss_fn: Callable[[torch.Tensor], torch.Tensor],
              lr: float, steps: int) -> bool:
    p = make_params().detach().clone().requires_grad_(True)
    losses = []
    for _ in range(steps):
        loss = loss_fn(p)
        losses.append(loss.item())
        loss.backward()
        p.data -= lr * p.grad
        p.grad.zero_()
    losses.append(loss_fn(p).item())
    return all(torch.isfinite(torch.tensor(losses))) and losses[-1] < losses[0]


def max_stable_lr(make_params, loss_fn, candidates: Iterable[float], steps: int) -> float:
    return float(max(lr for lr in candidates if is_stable(make_params, loss_fn, lr, steps)))
