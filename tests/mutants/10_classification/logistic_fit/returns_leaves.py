# mutant: trains w and b with autograd and returns them still requiring grad
# expect: still carries an autograd graph
import torch


def fit_logistic(X, y, lr, epochs):
    n, d = X.shape
    w = torch.zeros(d, dtype=X.dtype, requires_grad=True)
    b = torch.zeros((), dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        z = X @ w + b
        loss = (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad = None
        b.grad = None
    return w, b, losses
