# mutant: clips each gradient by its own norm
# expect: by its own norm
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
        for g in grads:
            g.mul_(torch.clamp(max_norm / (g.norm() + 1e-6), max=1.0))
    return total
