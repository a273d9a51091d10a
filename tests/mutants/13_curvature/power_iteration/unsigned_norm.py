# mutant: takes λ = ‖w‖, which forgets the sign of a negative top eigenvalue
# expect: no sign
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
    eigenvalue = 0.0
    for _ in range(iters):
        (w,) = torch.autograd.grad(grad, leaf, grad_outputs=v, retain_graph=True)
        if not w.any():
            return 0.0
        eigenvalue = w.norm().item()
        v = w / w.norm()
    return eigenvalue
