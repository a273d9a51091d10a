# style: F.mse_loss on torch.matmul, the grad zeroed (guarded) at the start of each step, torch.clone
import torch
import torch.nn.functional as F
from torch import nn


def fit_line(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    a = nn.Parameter(torch.tensor([-1.0, 1.0]).to(x.dtype))
    for _ in range(steps):
        if a.grad is not None:
            a.grad.zero_()
        loss = F.mse_loss(torch.matmul(x, a), y)
        loss.backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
    return torch.clone(a.detach())
