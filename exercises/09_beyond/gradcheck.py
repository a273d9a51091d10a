"""Kata 09_beyond/gradcheck: check a hand-written gradient against central differences."""

from collections.abc import Callable

import torch


def gradcheck(f: Callable[[torch.Tensor], torch.Tensor], grad_f: Callable[[torch.Tensor], torch.Tensor],
              x: torch.Tensor, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """Return True when grad_f gives the right gradient of the scalar function f at x.

    f maps a tensor shaped like x to a 0-d tensor; grad_f maps such a tensor to its gradient
    (same shape). Compare, in float64, two gradients of f at x:

    - the analytic one, a = grad_f(x);
    - the numerical one, n, by central differences: for every element i,
      n_i = (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps), with e_i all zeros but a 1 at i.

    The check passes when |a_i − n_i| ≤ atol + rtol·|n_i| for EVERY element i.

    - Work in float64 even when x is float32: with eps = 1e-6, float32 cannot even represent
      x + eps accurately.
    - Honour eps, atol and rtol as passed.
    - Return a Python bool (True or False), not a tensor.
    - Do not modify x: its values, requires_grad and .grad must be as they were. Careful:
      x.to(torch.float64) is x itself when x is already float64, so perturb a clone.
    """
    raise NotImplementedError("09_beyond/gradcheck: your code goes here (see the docstring)")
