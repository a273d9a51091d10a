# mutant: switches on requires_grad of the caller's params instead of differentiating a copy
# expect: changed params.requires_grad
import torch


def hvp(loss_fn, params, v):
    params.requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(params), params, create_graph=True)
    if not grad.requires_grad:
        return torch.zeros_like(params).detach()
    (product,) = torch.autograd.grad(grad, params, grad_outputs=v)
    return product.detach()
