# mutant: never checks the shapes, so an (N,1) column broadcasts against an (N,) vector
# expect: should raise valueerror
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z = logits
    return (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()
