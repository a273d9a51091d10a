# mutant: switches requires_grad on for the caller's tensor and leaves it on
# expect: requires_grad
import torch


def autograd_grad(loss_fn, params):
    params.requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(params), params)
    return grad
