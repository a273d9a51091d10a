# mutant: updates w outside torch.no_grad(), so w becomes a non-leaf and loses its .grad
# expect: leaf
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        w = w - lr * w.grad
        w.grad = None
    return w.item(), losses
