# mutant: w is made in float32 whatever the data's dtype
# expect: keeps w in float32
import torch


def fit_autograd(X, y, lr, epochs):
    w = torch.tensor(0.0, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * X - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item(), losses
