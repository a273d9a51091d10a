# mutant: the "safe" log of a clamped probability: finite, but capped near 16 at |z| = 1e4
# expect: caps it
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    p = torch.sigmoid(logits).clamp(1e-7, 1 - 1e-7)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
