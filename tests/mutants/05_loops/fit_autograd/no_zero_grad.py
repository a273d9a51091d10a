# mutant: never zeroes w.grad, so backward() keeps adding every epoch's gradient to it
# expect: accumulat
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w.item(), losses
