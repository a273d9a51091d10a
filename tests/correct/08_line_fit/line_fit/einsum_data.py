# style: torch.einsum for x @ a, the loss as sum() / len(), returns a.data.clone()
import torch


def fit_line(x, y, lr: float, steps: int):
    a = torch.nn.Parameter(torch.tensor([-1.0, 1.0], dtype=x.dtype))
    for _ in range(steps):
        residual = torch.einsum("ij,j->i", x, a) - y
        loss = (residual * residual).sum() / len(y)
        loss.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
    return a.data.clone()
