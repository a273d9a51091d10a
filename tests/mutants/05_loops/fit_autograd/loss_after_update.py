# mutant: logs the loss of the updated w, one epoch late
# expect: record each loss before you update w
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            losses.append(((w * X - y) ** 2).mean().item())
        w.grad.zero_()
    return w.item(), losses
