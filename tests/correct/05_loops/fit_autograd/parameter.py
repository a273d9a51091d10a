# style: w is an nn.Parameter, diff*diff loss, a detached loss history converted at the end, progress printed
import torch
from torch import nn


def fit_autograd(X, y, lr: float, epochs: int):
    w = nn.Parameter(torch.zeros((), dtype=X.dtype))
    history = []
    for epoch in range(epochs):
        diff = w * X - y
        loss = (diff * diff).mean()
        history.append(loss.detach())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
        if epoch % 100 == 0:
            print(f"epoch {epoch}: loss {history[-1].item():.4f}, w {w.item():.4f}")
    return w.detach().item(), [h.item() for h in history]
