"""Kata 02_losses/mse_numpy: the mean squared error in numpy."""

import numpy as np


def mse_np(y_pred: np.ndarray, y: np.ndarray) -> float:
    """Return the mean of the squared differences between y_pred and y, as a Python float.

    The same loss as kata 02_losses/mse, with numpy arrays instead of tensors.

    - y_pred and y are numpy arrays (float32 or float64); work in their dtype.
    - Return a plain Python float. numpy's mean gives a numpy scalar (np.float64 or
      np.float32), which is not a Python float: convert it with float().
    - Raise ValueError when the shapes differ. Never let an (N, 1) column broadcast against an
      (N,) vector: numpy would quietly build an N x N matrix and return a wrong loss.
    - Leave y_pred and y as they were (no in-place operations on them).
    """
    ### BEGIN SOLUTION
    if y_pred.shape != y.shape:
        raise ValueError(f"y_pred has shape {y_pred.shape} but y has shape {y.shape}")
    return float(np.mean((y_pred - y) ** 2))
    ### END SOLUTION
