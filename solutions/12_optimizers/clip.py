"""Kata 12_optimizers/clip: clip the gradients' total norm, as torch.nn.utils.clip_grad_norm_."""

from collections.abc import Iterable

import torch


def clip_grad_norm_(params: torch.Tensor | Iterable[torch.Tensor], max_norm: float) -> torch.Tensor:
    """Scale all the gradients together so that their total norm is at most about max_norm.

    params is one tensor or any iterable of tensors (a list, or a generator such as
    model.parameters(), which can be walked through only once). Only the tensors whose .grad is
    not None take part; the others, and every parameter's values, are left alone.

    - total = the 2-norm of all those gradients together, as if flattened into one vector:
      sqrt(sum of every gradient element squared).
    - Multiply every gradient in place (each p.grad stays the same tensor object) by
      min(1, max_norm / (total + 1e-6)). Always: torch adds that 1e-6, so a total equal to
      max_norm still scales by max_norm / (max_norm + 1e-6), just below 1.
    - Return total from before the clipping, as a 0-d tensor in the gradients' dtype, without
      an autograd graph; torch.tensor(0.0) when no parameter has a gradient.

    Write it without torch.nn.utils.clip_grad_norm_, get_total_norm or clip_grads_with_norm_;
    it gives the same results as torch.nn.utils.clip_grad_norm_(params, max_norm).
    """
    ### BEGIN SOLUTION
    if isinstance(params, torch.Tensor):
        params = [params]
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    with torch.no_grad():
        total = torch.sqrt(sum((g * g).sum() for g in grads))
        scale = torch.clamp(max_norm / (total + 1e-6), max=1.0)
        for g in grads:
            g.mul_(scale)
    return total
    ### END SOLUTION
