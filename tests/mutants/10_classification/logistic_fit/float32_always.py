# mutant: works in float32 whatever the dtype of X
# expect: work in the dtype of the inputs
import torch


def _bce(z, y):
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()


def fit_logistic(X, y, lr, epochs):
    X, y = X.float(), y.float()
    n, d = X.shape
    w, b, losses = torch.zeros(d), torch.zeros(()), []
    for _ in range(epochs):
        z = X @ w + b
        losses.append(_bce(z, y).item())
        r = torch.sigmoid(z) - y
        w, b = w - lr * X.T @ r / n, b - lr * r.mean()
    return w, b, losses
