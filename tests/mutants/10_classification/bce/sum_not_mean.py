# mutant: sums over the elements instead of averaging
# expect: off by a factor of n
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    z = logits
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).sum()
