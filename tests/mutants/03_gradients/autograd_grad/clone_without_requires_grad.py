# mutant: differentiates a plain clone, which only works when params already requires grad
# expect: does not require grad
import torch


def autograd_grad(loss_fn, params):
    x = params.clone()
    (grad,) = torch.autograd.grad(loss_fn(x), x)
    return grad
