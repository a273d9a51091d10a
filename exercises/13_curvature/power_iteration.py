"""Kata 13_curvature/power_iteration: the Hessian's top eigenvalue from Hessian-vector products."""

from collections.abc import Callable

import torch


def top_eigenvalue(loss_fn: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor, iters: int,
                   generator: torch.Generator) -> float:
    """Estimate the eigenvalue of largest magnitude of the Hessian H of loss_fn at params.

    Power iteration, touching H only through Hessian-vector products H·v (as in hvp.py; you may
    import your own: `from hvp import hvp`). Exactly this algorithm, so that the grader can replay it:

    1. v = torch.randn(params.shape, generator=generator, dtype=params.dtype), then divide v by
       its length, so that ‖v‖ = 1.
    2. Repeat `iters` times:  w = H·v;  λ = vᵀw (the Rayleigh quotient: keep its sign);
       v = w / ‖w‖.
    3. Return the last λ as a Python float. If w is ever all zeros (a loss linear in params has
       H = 0), return 0.0 at once instead of dividing by ‖w‖ = 0.

    - λ = vᵀw, not ‖w‖: the length of w forgets the sign, and the largest eigenvalue in magnitude
      may be negative (near a maximum or a saddle).
    - Raise ValueError if iters < 1.
    - Never form H (the grader gives you 200,000 parameters), and do not use
      torch.autograd.functional or torch.func.
    - Do not modify params: its values, requires_grad flag and .grad stay as they were.

    Example: for loss_fn(p) = ½·pᵀ[[2, −1], [−1, 2]]p the eigenvalues of H are 3 and 1, and a few
    dozen iterations give 3.0 from almost any start (a start of ones, an eigenvector of eigenvalue
    1, would stay at 1.0: that is why it starts at random). For the negated loss: −3.0.
    """
    raise NotImplementedError("13_curvature/power_iteration: your code goes here (see the docstring)")
