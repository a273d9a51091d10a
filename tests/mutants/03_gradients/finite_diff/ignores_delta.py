# mutant: uses a fixed step of 1e-3 whatever delta is passed
# expect: not the delta passed in
import torch


def central_difference(f, params, delta=1e-3):
    h = 1e-3
    with torch.no_grad():
        base = params.detach().clone()
        grad = torch.zeros_like(base)
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.view(-1)[i] += h
            minus.view(-1)[i] -= h
            grad.view(-1)[i] = (f(plus) - f(minus)) / (2 * h)
    return grad
