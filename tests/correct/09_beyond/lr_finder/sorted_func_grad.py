# style: candidates sorted from the largest, early return on the first stable one, torch.func.grad
import math

import torch


def _stable(make_params, loss_fn, lr, steps):
    params = make_params().detach()
    start = loss_fn(params).item()
    if not math.isfinite(start):
        return False
    for _ in range(steps):
        params = params - lr * torch.func.grad(loss_fn)(params)
        if not math.isfinite(loss_fn(params).item()):
            return False
    return loss_fn(params).item() < start


def max_stable_lr(make_params, loss_fn, candidates, steps):
    for lr in sorted(candidates, reverse=True):
        if _stable(make_params, loss_fn, lr, steps):
            return float(lr)
    raise ValueError("no stable learning rate among the candidates")
