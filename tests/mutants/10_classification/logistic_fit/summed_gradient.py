# mutant: sums the gradient over the samples where the mean belongs
# expect: gradients are off by a factor of n
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b, losses = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype), []
    for _ in range(epochs):
        z = X @ w + b
        losses.append(_bce(z, y).item())
        r = torch.sigmoid(z) - y
        w, b = w - lr * X.T @ r, b - lr * r.sum()
    return w, b, losses
