"""Kata 06_sqrt/sqrt_params: descend on parameters that make the guess, not on the guess."""

import torch  # noqa: F401 - the stub does not use it yet; your solution may


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    """Approximate √n with a guess built from one parameter: guess = input_val + shift.

    The input stays fixed; only `shift` learns. It starts at 1.0.

    - Each step: guess = input_val + shift, loss = (n - guess²)², then one plain gradient-descent
      step on shift: shift ← shift - lr · dLoss/dshift (autograd or by hand; with autograd clear
      the gradient after each update).
    - Return the guess after the last update, input_val + shift, as a Python float.
      float32 or float64 arithmetic are both fine.
    """
    raise NotImplementedError("06_sqrt/sqrt_params: your code goes here (see the docstring)")


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    """Approximate √n with a guess built from two parameters: guess = input_val · scale + shift.

    Both `scale` and `shift` start at 1.0 and learn together; the input stays fixed.

    - Each step: guess = input_val · scale + shift, loss = (n - guess²)², then one plain
      gradient-descent step on both, with both derivatives taken at the same point (compute both
      gradients, then update both).
    - Return the guess after the last update, input_val · scale + shift, as a Python float.
      float32 or float64 arithmetic are both fine.

    The loss has two minima, +√n and -√n. With n=5, input 4 and 100 steps, lr 0.0005 settles
    near +2.236, while lr 0.001 overshoots on the first step and settles near -2.236.
    """
    raise NotImplementedError("06_sqrt/sqrt_params: your code goes here (see the docstring)")
