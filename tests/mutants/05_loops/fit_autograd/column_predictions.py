# mutant: w of shape (1, 1) and X as a column, so ŷ is (N, 1) and broadcasts against y (N,)
# expect: broadcasts against y
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.zeros(1, 1, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((X.view(-1, 1) @ w - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item(), losses
