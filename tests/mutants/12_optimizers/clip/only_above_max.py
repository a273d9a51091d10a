# mutant: scales only when the total is above max_norm, so a total equal to max_norm is left alone
# expect: a total equal to max_norm still scales
import torch


def clip_grad_norm_(params, max_norm):
    if isinstance(params, torch.Tensor):
        params = [params]
    params = list(params)
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    with torch.no_grad():
        total = torch.sqrt(sum((g * g).sum() for g in grads))
        if total > max_norm:
            for g in grads:
                g.mul_(max_norm / (total + 1e-6))
    return total
