# mutant: −[y·log σ(z) + (1 − y)·log(1 − σ(z))]: σ rounds to 0 or 1 at large |z|, log 0 = −inf
# expect: a log of the sigmoid
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    p = torch.sigmoid(logits)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
