"""Kata 05_loops/fit_autograd: the same training loop, with autograd computing the gradient."""

import torch


def fit_autograd(X: torch.Tensor, y: torch.Tensor, lr: float,
                 epochs: int) -> tuple[float, list[float]]:
    """Fit ŷ = w·x to the points (X, y) by gradient descent, letting autograd find the gradient.

    X and y are 1-D tensors of the same length (float32 or float64); work in their dtype.
    Make w a 0-d tensor holding 0.0 that requires grad, then in each of the `epochs` epochs:

    1. predict ŷ = w·X and compute the mean squared error mean((ŷ − y)²);
    2. record the loss as a Python float (`.item()`), before this epoch's update;
    3. call `backward()` on the loss, so that w.grad holds dL/dw;
    4. update w in place inside `with torch.no_grad():` (w stays a leaf): w ← w − lr·w.grad;
    5. zero the gradient: backward() adds into w.grad, it never overwrites it.

    Return a tuple (w, losses): w as a Python float, losses as a list of Python floats, one per
    epoch. Leave X and y as they were.

    Check yourself on X = [1, 2, 3, 4], y = 2X, lr = 0.01: losses[0] is 30.0, one epoch takes
    w to 0.3, and many epochs take w to 2.
    """
    raise NotImplementedError("05_loops/fit_autograd: your code goes here (see the docstring)")
