# mutant: accepts iters < 1 and returns 0.0 instead of raising ValueError
# expect: should raise valueerror
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    if not grad.requires_grad:
        return 0.0
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype)
    v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        if not w.any():
            return 0.0
        eigenvalue = (v * w).sum().item()
        v = w / w.norm()
    return eigenvalue
