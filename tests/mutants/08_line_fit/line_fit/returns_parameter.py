# mutant: returns the Parameter a itself instead of a detached copy
# expect: returned the Parameter a itself
import torch


def fit_line(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    a = torch.nn.Parameter(torch.tensor([-1.0, 1.0], dtype=x.dtype))
    for _ in range(steps):
        loss = ((x @ a - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
    return a
