# mutant: sums the squared errors instead of averaging them
# expect: off by a factor of N
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item(), losses
