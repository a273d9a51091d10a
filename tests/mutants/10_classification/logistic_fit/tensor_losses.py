# mutant: appends the 0-d loss tensors themselves, not Python floats
# expect: not a python float
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b, losses = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype), []
    for _ in range(epochs):
        z = X @ w + b
        losses.append(_bce(z, y))
        r = torch.sigmoid(z) - y
        w, b = w - lr * X.T @ r / n, b - lr * r.mean()
    return w, b, losses
