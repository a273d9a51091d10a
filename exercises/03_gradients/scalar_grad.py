"""Kata 03_gradients/scalar_grad: the gradient of the MSE for a model with one weight."""

import numpy as np


def dmse_dw(x: np.ndarray, y: np.ndarray, w: float) -> float:
    """Return dL/dw for the model y_hat = w * x and the loss L = mean((y_hat - y)**2).

    Derive it on paper first. L = (1/N) * sum((w * x_i - y_i)**2) over the N data points, so
    the chain rule gives dL/dw = (2/N) * sum(x_i * (w * x_i - y_i)).

    Mind the 1/N. The loss is a mean, so its gradient is a mean as well; a gradient without
    the 1/N is N times too large, and so is every step of gradient descent taken with it.

    - x and y are 1-D numpy arrays of the same length N (float32 or float64); w is a float.
      Work in the arrays' dtype, with numpy only.
    - Return a plain Python float: convert numpy's scalar with float().
    - Leave x and y as they were.
    """
    raise NotImplementedError("03_gradients/scalar_grad: your code goes here (see the docstring)")
