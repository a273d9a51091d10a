# mutant: adds y·z where it must subtract it
# expect: the y·z term has the wrong sign
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    z = logits
    return (z.clamp(min=0) + y * z + torch.log1p(torch.exp(-z.abs()))).mean()
