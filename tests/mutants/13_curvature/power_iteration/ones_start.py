# mutant: starts from a vector of ones, an eigenvector of the seed's smaller eigenvalue
# expect: vector of ones
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters must be at least 1")
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    if not grad.requires_grad:
        return 0.0
    v = torch.ones(params.shape, dtype=params.dtype)
    v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        if not w.any():
            return 0.0
        eigenvalue = torch.dot(v.reshape(-1), w.reshape(-1)).item()
        v = w / w.norm()
    return eigenvalue
