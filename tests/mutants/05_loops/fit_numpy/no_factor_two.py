# mutant: differentiates (ŷ − y)² as (ŷ − y)·x, forgetting the 2
# expect: factor 2
import numpy as np


def fit_numpy(X, y, lr, epochs):
    w = 0.0
    losses = []
    for _ in range(epochs):
        y_pred = w * X
        losses.append(float(np.mean((y_pred - y) ** 2)))
        grad = np.mean(X * (y_pred - y))
        w = w - lr * grad
    return float(w), losses
