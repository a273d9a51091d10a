# mutant: right values, but through torch.nn.functional.softplus, which the kata asks you to write
# expect: write it yourself
import torch
import torch.nn.functional as F


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.shape != y.shape:
        raise ValueError("shapes differ")
    return (F.softplus(logits) - y * logits).mean()
