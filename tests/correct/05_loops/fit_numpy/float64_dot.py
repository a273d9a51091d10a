# style: float64 internals, np.dot for the loss and the gradient, a helper returning both
import numpy as np


def _loss_and_grad(w: float, x: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    residual = w * x - t
    n = x.shape[0]
    return float(np.dot(residual, residual) / n), float(2 * np.dot(x, residual) / n)


def fit_numpy(X: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> tuple[float, list[float]]:
    x, t = X.astype(np.float64), y.astype(np.float64)
    w, losses = 0.0, []
    for _ in range(epochs):
        loss, grad = _loss_and_grad(w, x, t)
        losses.append(loss)
        w = w - lr * grad
    return w, losses
