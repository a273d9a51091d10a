# mutant: updates w first, then computes b's gradient from the new w (a stale/new mix)
# expect: stale/new mix
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b, losses = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype), []
    for _ in range(epochs):
        losses.append(_bce(X @ w + b, y).item())
        w = w - lr * X.T @ (torch.sigmoid(X @ w + b) - y) / n
        b = b - lr * (torch.sigmoid(X @ w + b) - y).mean()
    return w, b, losses
