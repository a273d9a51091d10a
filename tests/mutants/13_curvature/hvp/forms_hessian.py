# mutant: forms the full Hessian, one row per parameter, then multiplies it by v
# expect: 320 gb
import torch


def hvp(loss_fn, params, v):
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
    return (hessian @ v.reshape(-1)).reshape(params.shape).detach()
