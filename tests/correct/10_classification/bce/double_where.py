# style: torch.where with safe inputs in both branches (the "double where"), so neither overflows
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError(f"shapes {tuple(logits.shape)} and {tuple(y.shape)} differ")
    z = logits
    positive = z > 0
    z_pos = torch.where(positive, z, torch.zeros_like(z))
    z_neg = torch.where(positive, torch.zeros_like(z), z)
    softplus = torch.where(positive, z_pos + torch.log1p(torch.exp(-z_pos)), torch.log1p(torch.exp(z_neg)))
    return (softplus - y * z).mean()
