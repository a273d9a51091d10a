# mutant: keeps create_graph=True on the second derivative and returns the product with its graph
# expect: still carries an autograd graph
import torch


def hvp(loss_fn, params, v):
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    if not grad.requires_grad:
        return torch.zeros_like(params)
    (product,) = torch.autograd.grad(grad, leaf, grad_outputs=v, create_graph=True)
    return product
