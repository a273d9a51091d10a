# style: differentiates params itself (requires_grad switched on, then back), torch.autograd.grad
import torch


def autograd_grad(loss_fn, params):
    was = params.requires_grad
    params.requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(loss_fn(params), params)
    params.requires_grad_(was)
    return grad
