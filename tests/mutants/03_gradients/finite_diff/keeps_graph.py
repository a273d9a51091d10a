# mutant: clones params without detaching, so the result carries an autograd graph
# expect: autograd graph
import torch


def central_difference(f, params, delta=1e-3):
    grad = torch.zeros_like(params)
    for i in range(params.numel()):
        plus, minus = params.clone(), params.clone()
        plus.view(-1)[i] = plus.view(-1)[i] + delta
        minus.view(-1)[i] = minus.view(-1)[i] - delta
        grad.view(-1)[i] = (f(plus) - f(minus)) / (2 * delta)
    return grad
