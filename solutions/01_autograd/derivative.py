"""Kata 01_autograd/derivative: the derivative of a one-variable function, by autograd."""

from collections.abc import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> float:
    """Return f'(x), the slope of f at the point x, and let autograd find it.

    - f takes a 0-d float64 tensor and returns a 0-d tensor. Build that tensor from x yourself,
      as a float64 tensor that requires grad, so autograd records what f does to it.
    - Differentiate with autograd (backward or torch.autograd.grad), not with a finite difference.
    - x is a plain Python float, and so is the answer: a Python float, not a tensor
      (`.item()` turns a 0-d tensor into one).
    """
    ### BEGIN SOLUTION
    point = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(point).backward()
    return point.grad.item()
    ### END SOLUTION
