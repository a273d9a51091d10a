# mutant: always makes a in float32, whatever the dtype of x
# expect: dtype of x
import torch


def fit_line(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    a = torch.nn.Parameter(torch.tensor([-1.0, 1.0]))
    for _ in range(steps):
        loss = ((x @ a - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
    return a.detach().clone()
