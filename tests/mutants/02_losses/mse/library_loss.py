# mutant: calls the library's loss instead of writing it by hand
# expect: torch.nn.functional
import torch
import torch.nn.functional as F


def mse(y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if y_pred.shape != y.shape:
        raise ValueError("shapes differ")
    return F.mse_loss(y_pred, y)
