# style: differentiates the scalar g·v (no grad_outputs), unused parts filled in by materialize_grads
import torch


def hvp(loss_fn, params, v):
    x = params.detach().clone()
    x.requires_grad = True
    with torch.enable_grad():
        g = torch.autograd.grad(loss_fn(x), x, create_graph=True)[0]
        if g.grad_fn is None and not g.requires_grad:
            return torch.zeros_like(x, requires_grad=False)
        directional = torch.sum(g * v)
        out = torch.autograd.grad(directional, x, allow_unused=True, materialize_grads=True)[0]
    return out.detach()
