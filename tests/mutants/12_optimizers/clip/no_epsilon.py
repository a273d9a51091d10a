# mutant: forgets torch's 1e-6: scales by max_norm / total
# expect: the 1e-6 is missing
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
        scale = torch.clamp(max_norm / total, max=1.0)
        for g in grads:
            g.mul_(scale)
    return total
