# style: torch.maximum against a zero tensor, log(1 + ·) instead of log1p, sum() / numel()
import torch


def bce_with_logits(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if logits.size() != y.size():
        raise ValueError("logits and y differ in shape")
    zero = torch.zeros((), dtype=logits.dtype)
    per_element = torch.maximum(logits, zero) - logits * y + torch.log(1 + torch.exp(-logits.abs()))
    return per_element.sum() / logits.numel()
