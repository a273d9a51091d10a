# mutant: divides the central difference by δ instead of 2δ
# expect: factor 2
import torch


def central_difference(f, params, delta=1e-3):
    with torch.no_grad():
        base = params.detach().clone()
        grad = torch.zeros_like(base)
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.view(-1)[i] += delta
            minus.view(-1)[i] -= delta
            grad.view(-1)[i] = (f(plus) - f(minus)) / delta
    return grad
