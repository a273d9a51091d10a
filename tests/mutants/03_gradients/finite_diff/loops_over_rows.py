# mutant: loops over params[i], which for a matrix is a whole row (and breaks on 0-d params)
# expect: whole row
import torch


def central_difference(f, params, delta=1e-3):
    with torch.no_grad():
        base = params.detach().clone()
        grad = torch.zeros_like(base)
        for i in range(len(base)):
            plus, minus = base.clone(), base.clone()
            plus[i] += delta
            minus[i] -= delta
            grad[i] = (f(plus) - f(minus)) / (2 * delta)
    return grad
