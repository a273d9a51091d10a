# mutant: differentiates the gradient again without checking it requires grad: a linear loss crashes
# expect: linear in params
import torch


def hvp(loss_fn, params, v):
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    (product,) = torch.autograd.grad(grad, leaf, grad_outputs=v)
    return product.detach()
