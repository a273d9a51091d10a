"""Kata 03_gradients/finite_diff: a gradient by central differences, without autograd."""

from collections.abc import Callable

import torch


def central_difference(f: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor,
                       delta: float = 1e-3) -> torch.Tensor:
    """Estimate the gradient of the scalar function f at params, one element at a time.

    For every element i of params, nudge that element alone up and down by delta and take

        (f(p + delta·e_i) − f(p − delta·e_i)) / (2·delta)

    where e_i is all zeros except a 1 at position i. Put that number at position i of the result.

    - params can have any shape: a 0-d tensor, a vector, a matrix. The result has the same shape.
    - f takes a tensor shaped like params and returns a 0-d tensor.
    - Work in the dtype of params (float32 or float64) and return that dtype.
    - Do not modify params: its values, requires_grad and .grad must be as they were. Perturb a
      copy. (Adding delta in place and subtracting it back is not safe: floating point rounds,
      so you would not get the same numbers back.)
    - Return a plain tensor with no autograd graph, even when params requires grad.
    """
    raise NotImplementedError("03_gradients/finite_diff: your code goes here (see the docstring)")
