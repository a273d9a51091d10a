# mutant: normalizes first and returns vᵀHv of the final v: one Hessian-vector product too many
# expect: one hessian-vector product too many
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters must be at least 1")
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    if not grad.requires_grad:
        return 0.0
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype)
    v = v / v.norm()
    for _ in range(iters):
        (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        if not w.any():
            return 0.0
        v = w / w.norm()
    (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
    return (v * w).sum().item()
