# mutant: the forward difference (f(p + δeᵢ) − f(p)) / δ instead of the central one
# expect: forward difference
import torch


def central_difference(f, params, delta=1e-3):
    with torch.no_grad():
        base = params.detach().clone()
        f0 = f(base)
        grad = torch.zeros_like(base)
        for i in range(base.numel()):
            plus = base.clone()
            plus.view(-1)[i] += delta
            grad.view(-1)[i] = (f(plus) - f0) / delta
    return grad
