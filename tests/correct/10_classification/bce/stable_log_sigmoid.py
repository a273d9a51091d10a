# style: −[y·log σ(z) + (1 − y)·log σ(−z)] with a stable log σ(z) = −(max(−z, 0) + log(1 + e^(−|z|)))
import torch


def _log_sigmoid(z: torch.Tensor) -> torch.Tensor:
    return -(torch.relu(-z) + torch.log1p(torch.exp(-torch.abs(z))))


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if tuple(logits.shape) != tuple(y.shape):
        raise ValueError("logits and y must have the same shape")
    return -(y * _log_sigmoid(logits) + (1 - y) * _log_sigmoid(-logits)).mean()
