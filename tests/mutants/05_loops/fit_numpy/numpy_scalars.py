# mutant: returns numpy scalars (np.float32) where the contract asks for Python floats
# expect: Python float
import numpy as np


def fit_numpy(X, y, lr, epochs):
    w = np.zeros((), dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        y_pred = w * X
        losses.append(np.mean((y_pred - y) ** 2))
        grad = np.mean(2 * X * (y_pred - y))
        w = w - X.dtype.type(lr) * grad
    return w[()], losses
