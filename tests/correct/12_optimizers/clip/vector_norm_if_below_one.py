# style: vector_norm of the concatenated gradients, multiplied only when the factor is below 1
"""Kata 12_optimizers/clip with one concatenated vector."""

import torch


def clip_grad_norm_(params, max_norm):
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    grads = [p.grad for p in params if p.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    total = torch.linalg.vector_norm(torch.cat([g.detach().reshape(-1) for g in grads]))
    factor = max_norm / (total + 1e-6)
    if factor < 1:
        with torch.no_grad():
            for g in grads:
                g.mul_(factor)
    return total
