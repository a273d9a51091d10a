"""Kata 05_loops/fit_numpy: a training loop in plain numpy, with the gradient written by hand."""

import numpy as np


def fit_numpy(X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> tuple[float, list[float]]:
    """Fit the model ŷ = w·x to the points (X, y) by gradient descent, and return (w, losses).

    X and y are 1-D numpy arrays of the same length N (float32 or float64). Use numpy only.
    Start from w = 0.0, then in each of the `epochs` epochs:

    1. predict ŷ = w·X and compute the loss, the mean squared error mean((ŷ − y)²);
    2. record that loss: losses[i] is the loss of epoch i, measured *before* its update;
    3. work out the gradient by hand: dL/dw = mean(2·x·(ŷ − y)) (the mean keeps the 1/N);
    4. step downhill: w ← w − lr·dL/dw.

    Return a tuple (w, losses): w as a Python float, losses as a list of Python floats, one
    per epoch (float(...) turns a numpy number into one). Leave X and y as they were.

    Check yourself on X = [1, 2, 3, 4], y = 2X, lr = 0.01: losses[0] is 30.0, one epoch takes
    w to 0.3, and many epochs take w to 2.
    """
    raise NotImplementedError("05_loops/fit_numpy: your code goes here (see the docstring)")
