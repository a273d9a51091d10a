# mutant: multiplies the gradient by v element by element instead of differentiating it again
# expect: gradient times v
import torch


def hvp(loss_fn, params, v):
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf)
    return (grad * v).detach()
