# mutant: returns w and the losses as tensors instead of Python floats
# expect: .item()
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).mean()
        losses.append(loss)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.detach(), losses
