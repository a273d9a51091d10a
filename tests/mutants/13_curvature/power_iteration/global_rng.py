# mutant: draws the start from torch's global random state, not from the generator it was given
# expect: nothing was drawn from the generator
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters must be at least 1")
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    if not grad.requires_grad:
        return 0.0
    v = torch.randn(params.shape, dtype=params.dtype)
    v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        if not w.any():
            return 0.0
        eigenvalue = torch.dot(v.reshape(-1), w.reshape(-1)).item()
        v = w / w.norm()
    return eigenvalue
