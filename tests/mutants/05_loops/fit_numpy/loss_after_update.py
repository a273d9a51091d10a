# mutant: records the loss after the update instead of before it
# expect: record each loss before you update w
import numpy as np


def fit_numpy(X, y, lr, epochs):
    w = 0.0
    losses = []
    for _ in range(epochs):
        grad = np.mean(2 * X * (w * X - y))
        w = w - lr * grad
        losses.append(float(np.mean((w * X - y) ** 2)))
    return float(w), losses
