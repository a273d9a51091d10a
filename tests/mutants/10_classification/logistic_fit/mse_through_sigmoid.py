# mutant: steps with the gradient of the squared error through the sigmoid, 2(p − y)p(1 − p)
# expect: 2·p(1 − p) factor
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b, losses = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype), []
    for _ in range(epochs):
        z = X @ w + b
        losses.append(_bce(z, y).item())
        p = torch.sigmoid(z)
        r = 2 * (p - y) * p * (1 - p)
        w, b = w - lr * X.T @ r / n, b - lr * r.mean()
    return w, b, losses
