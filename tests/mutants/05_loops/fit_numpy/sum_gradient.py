# mutant: sums 2x(ŷ − y) instead of averaging it (the notebook's part 1 drops the 1/N)
# expect: off by a factor of N
import numpy as np


def fit_numpy(X, y, lr, epochs):
    w = 0.0
    losses = []
    for _ in range(epochs):
        y_pred = w * X
        losses.append(float(np.mean((y_pred - y) ** 2)))
        grad = np.sum(2 * X * (y_pred - y))
        w = w - lr * grad
    return float(w), losses
