# style: works in float64 whatever the dtype of params, and casts the product back
import torch


def hvp(loss_fn, params, v):
    leaf = params.detach().to(torch.float64).clone().requires_grad_(True)
    direction = v.detach().to(torch.float64)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(loss_fn(leaf), [leaf], create_graph=True)
        if grad.requires_grad:
            (product,) = torch.autograd.grad([grad], [leaf], grad_outputs=[direction], allow_unused=True)
        else:
            product = None
    if product is None:
        product = torch.zeros_like(leaf)
    return product.detach().to(params.dtype)
