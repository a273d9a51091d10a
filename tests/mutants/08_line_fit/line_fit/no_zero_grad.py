# mutant: never zeroes a.grad, so each update uses the sum of all gradients so far
# expect: accumulat
import torch


def fit_line(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    a = torch.nn.Parameter(torch.tensor([-1.0, 1.0], dtype=x.dtype))
    for _ in range(steps):
        loss = ((x @ a - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
    return a.detach().clone()
