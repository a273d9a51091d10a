# style: draws v₀ in params' dtype, then iterates in float64 on a float64 copy of params
import math

import torch


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("iters < 1")
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype).to(torch.float64)
    v = v / math.sqrt(float((v * v).sum()))
    x = params.detach().to(torch.float64).requires_grad_(True)
    with torch.enable_grad():
        (g,) = torch.autograd.grad(loss_fn(x), x, create_graph=True)
    result = 0.0
    for _ in range(iters):
        if not g.requires_grad:
            return 0.0
        (w,) = torch.autograd.grad(g, x, v, retain_graph=True)
        length = math.sqrt(float((w * w).sum()))
        if length == 0.0:
            return 0.0
        result = float((v * w).sum())
        v = w / length
    return result
