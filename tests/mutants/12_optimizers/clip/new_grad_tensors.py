# mutant: replaces each .grad with a new tensor instead of scaling it in place
# expect: is a new tensor
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
        scale = torch.clamp(max_norm / (total + 1e-6), max=1.0)
        for p in params:
            if p.grad is not None:
                p.grad = p.grad * scale
    return total
