# mutant: sums the squared differences instead of averaging them
# expect: off by a factor of N
import torch


def mse(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return ((y_pred - y) ** 2).sum()
