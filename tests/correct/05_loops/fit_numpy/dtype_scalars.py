# style: w kept as a numpy scalar of X's dtype (X.dtype.type), np.square and np.multiply, .item() at the end
import numpy as np


def fit_numpy(X, y, lr, epochs):
    zero = X.dtype.type(0)
    w, step = zero, X.dtype.type(lr)
    losses = []
    for _ in range(epochs):
        pred = X * w
        losses.append(np.square(pred - y).mean().item())
        w = w - step * np.multiply(2 * X, pred - y).mean()
    return w.item(), losses
