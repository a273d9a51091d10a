# style: imports the learner's own hvp kata and calls it every iteration
import torch
from hvp import hvp


def top_eigenvalue(loss_fn, params, iters, generator):
    if iters < 1:
        raise ValueError("need at least one iteration")
    v = torch.randn(params.shape, generator=generator, dtype=params.dtype)
    v /= torch.linalg.vector_norm(v)
    lam = 0.0
    for _ in range(iters):
        w = hvp(loss_fn, params, v)
        if torch.count_nonzero(w) == 0:
            return 0.0
        lam = torch.dot(v.flatten(), w.flatten()).item()
        v = w / torch.linalg.vector_norm(w)
    return lam
