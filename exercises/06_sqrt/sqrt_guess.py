"""Kata 06_sqrt/sqrt_guess: a square root found by gradient descent on the guess itself."""

import torch  # noqa: F401 - the stub does not use it yet; your solution may


def sqrt_by_descent(n: float, guess: float, lr: float, steps: int) -> float:
    """Approximate a square root of n by walking the guess downhill on the loss (n - guess²)².

    The loss is zero exactly when guess² = n, so descending on it pulls the guess towards a root:
    towards +√n from a positive start, towards -√n from a negative one.

    - Start from `guess` and take `steps` plain gradient-descent steps on the guess itself:
      guess ← guess - lr · dLoss/dguess. Get the derivative however you like: autograd (a tensor
      with requires_grad=True, then backward) or by hand.
    - With autograd, clear the gradient after each update, or the steps pile up.
    - Return the guess after the last update, as a Python float (use .item() on a tensor).
      float32 or float64 arithmetic are both fine.

    Example: n=5, guess=4, lr=0.01, 20 steps gives about 2.23607 (√5 = 2.2360679...).
    """
    raise NotImplementedError("06_sqrt/sqrt_guess: your code goes here (see the docstring)")
