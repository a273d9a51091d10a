# mutant: adds the gradient instead of subtracting it, so the loss grows
# expect: diverges
import numpy as np


def fit_numpy(X, y, lr, epochs):
    w = 0.0
    losses = []
    for _ in range(epochs):
        y_pred = w * X
        losses.append(float(np.mean((y_pred - y) ** 2)))
        grad = np.mean(2 * X * (y_pred - y))
        w = w + lr * grad
    return float(w), losses
