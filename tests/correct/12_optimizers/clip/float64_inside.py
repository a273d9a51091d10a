# style: per-gradient norms stacked as torch does, in float64, the total cast back, a float factor
"""Kata 12_optimizers/clip with a float64 total."""

import torch


def clip_grad_norm_(params, max_norm):
    if isinstance(params, torch.Tensor):
        params = [params]
    with_grad = [p for p in params if p.grad is not None]
    if not with_grad:
        return torch.tensor(0.0)
    dtype = with_grad[0].grad.dtype
    norms = torch.stack([p.grad.detach().double().norm() for p in with_grad])
    total = norms.norm()
    factor = min(1.0, max_norm / (float(total) + 1e-6))
    for p in with_grad:
        p.grad.detach().mul_(factor)
    return total.to(dtype)
