"""Kata 09_beyond/lr_finder: find the largest learning rate that still learns."""

from collections.abc import Callable, Iterable

import torch


def max_stable_lr(make_params: Callable[[], torch.Tensor],
                  loss_fn: Callable[[torch.Tensor], torch.Tensor],
                  candidates: Iterable[float], steps: int) -> float:
    """Return the largest learning rate in candidates that trains stably, as a Python float.

    Try every candidate lr on its own: start from fresh parameters, params = make_params()
    (call it again for each candidate, never reuse the parameters a previous candidate trained),
    and take `steps` plain gradient-descent steps, computing the gradient with autograd:

        loss = loss_fn(params); gradient of loss w.r.t. params; params <- params - lr * gradient

    A candidate is stable when its loss stays finite (no inf, no nan) all along and ends below
    where it started (the loss after the last step is smaller than the loss of the fresh params).

    The candidates come in any order, not necessarily sorted. loss_fn returns a 0-d tensor.
    (What to do when no candidate is stable is up to you: the tests always include one.)

    This finds the edge of stability among a few fixed lrs, each tried from scratch. fast.ai's LR
    range test is a different tool: one run with an lr that grows every batch, suggesting an lr
    well below where the loss blows up. Either way, train a little below the edge.
    """
    raise NotImplementedError("09_beyond/lr_finder: your code goes here (see the docstring)")
