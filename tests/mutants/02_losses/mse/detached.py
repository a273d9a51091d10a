# mutant: goes through .item(), so nothing can backpropagate through the loss
# expect: not differentiable
import torch


def mse(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return torch.tensor(((y_pred - y) ** 2).mean().item(), dtype=y_pred.dtype)
