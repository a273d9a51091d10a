# mutant: forms the Hessian row by row and runs the iteration on the matrix
# expect: 320 gb
import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters must be at least 1")
    leaf = params.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_fn(leaf), leaf, create_graph=True)
    flat = grad.reshape(-1)
    size = flat.numel()
    hessian = torch.zeros(size, size, dtype=params.dtype)
    if flat.requires_grad:
        for i in range(size):
            (row,) = torch.autograd.grad(flat[i], leaf, retain_graph=True, allow_unused=True)
            if row is not None:
                hessian[i] = row.reshape(-1)
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype).reshape(-1)
    v = v / v.norm()
    eigenvalue = 0.0
    for _ in range(iters):
        w = hessian @ v
        if not w.any():
            return 0.0
        eigenvalue = (v @ w).item()
        v = w / w.norm()
    return eigenvalue
