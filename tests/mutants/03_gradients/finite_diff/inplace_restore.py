# mutant: perturbs params itself in place and restores it by arithmetic, which rounds
# expect: changed the values
import torch


def central_difference(f, params, delta=1e-3):
    grad = torch.zeros_like(params)
    flat = params.data.view(-1)
    with torch.no_grad():
        for i in range(flat.numel()):
            flat[i] += delta
            up = f(params)
            flat[i] -= 2 * delta
            down = f(params)
            flat[i] += delta
            grad.view(-1)[i] = (up - down) / (2 * delta)
    return grad
