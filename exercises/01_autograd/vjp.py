"""Kata 01_autograd/vjp: the vector-Jacobian product, the quantity backward really computes."""

from collections.abc import Callable

import torch


def vjp(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Return vᵀ·J_f(x): what `f(x).backward(v)` would leave in the .grad of a fresh x.

    v has the shape of f(x) (a 0-d v when f(x) is a single number); the answer has the shape and
    the dtype of x. Entry j of the answer is the sum over i of v[i] · ∂f(x)[i] / ∂x[j].
    - Do not modify x: its values, its requires_grad flag and its .grad must be as they were when
      the call started. x may or may not require grad, and it may already hold a .grad.
    - Return a plain tensor that carries no autograd graph.
    """
    raise NotImplementedError("01_autograd/vjp: your code goes here (see the docstring)")
