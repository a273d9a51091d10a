# style: .backward() twice on a copy, reading .grad, instead of torch.autograd.grad
import torch


def hvp(loss_fn, params, v):
    leaf = params.detach().clone().requires_grad_()
    with torch.enable_grad():
        loss_fn(leaf).backward(create_graph=True)
        grad = leaf.grad
        leaf.grad = None
        if not grad.requires_grad:
            return torch.zeros_like(params).detach()
        (grad * v).sum().backward()
    result = leaf.grad if leaf.grad is not None else torch.zeros_like(leaf)
    return result.detach().clone()
