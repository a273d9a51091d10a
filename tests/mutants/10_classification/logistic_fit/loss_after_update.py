# mutant: records each epoch's loss after its update
# expect: recorded after epoch i's update
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w, b, losses = torch.zeros(d, dtype=X.dtype), torch.zeros((), dtype=X.dtype), []
    for _ in range(epochs):
        r = torch.sigmoid(X @ w + b) - y
        w, b = w - lr * X.T @ r / n, b - lr * r.mean()
        losses.append(_bce(X @ w + b, y).item())
    return w, b, losses
