# mutant: the textbook form log(1 + e^z) − y·z: e^z overflows to inf at z = 1e4
# expect: log(1 + e^z) overflows
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    return (torch.log(1 + torch.exp(logits)) - y * logits).mean()
