# mutant: never checks the shapes, so an (N,1) column broadcasts against an (N,) vector
# expect: should raise ValueError
import torch


def mse(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return ((y_pred - y) ** 2).mean()
