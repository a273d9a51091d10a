# mutant: builds the result with torch.zeros(params.shape), float32 whatever the input dtype
# expect: dtype of the inputs
import torch


def central_difference(f, params, delta=1e-3):
    with torch.no_grad():
        base = params.detach().clone()
        grad = torch.zeros(base.shape)
        for i in range(base.numel()):
            plus, minus = base.clone(), base.clone()
            plus.view(-1)[i] += delta
            minus.view(-1)[i] -= delta
            grad.view(-1)[i] = (f(plus) - f(minus)) / (2 * delta)
    return grad
