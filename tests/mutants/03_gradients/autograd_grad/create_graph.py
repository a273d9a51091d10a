# mutant: asks autograd for a differentiable gradient (create_graph=True) and returns it as is
# expect: autograd graph
import torch


def autograd_grad(loss_fn, params):
    x = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(x), x, create_graph=True)
    return grad
