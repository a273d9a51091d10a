# style: a -= lr * a.grad under no_grad, a.grad = None to clear, x.pow(2)-style loss via .pow
import torch


def fit_line(x, y, lr, steps):
    a = torch.nn.Parameter(torch.tensor([-1.0, 1.0], dtype=x.dtype))
    for _ in range(steps):
        loss = (x @ a - y).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
        a.grad = None
    return a.detach().clone()
