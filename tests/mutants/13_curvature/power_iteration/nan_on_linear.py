# mutant: never stops when w = 0, so a linear loss (H = 0) divides by ‖w‖ = 0 and ends in nan
# expect: divides by 0
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters must be at least 1")
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype)
    v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        if grad.requires_grad:
            (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        else:
            w = torch.zeros_like(v)
        eigenvalue = (v * w).sum().item()
        v = w / w.norm()
    return eigenvalue
