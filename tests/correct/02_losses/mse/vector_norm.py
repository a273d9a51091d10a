# style: the squared norm of the difference (torch.linalg.vector_norm) over the count, Tensor annotations
import torch
from torch import Tensor


def mse(y_pred: Tensor, y: Tensor) -> Tensor:
    if y_pred.shape != y.shape:
        raise ValueError("y_pred and y must have the same shape")
    return torch.linalg.vector_norm(y_pred - y) ** 2 / y.numel()
