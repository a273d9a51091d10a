# style: gather for the target logits, the row max kept in the graph (not detached), is_floating_point
import torch


def cross_entropy(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    if logits.ndim != 2:
        raise ValueError("logits must have shape (N, C)")
    n, c = logits.shape
    if not isinstance(target, torch.Tensor) or target.is_floating_point() or target.dtype != torch.long:
        raise ValueError("target must be an int64 tensor of class indices")
    if target.shape != (n,):
        raise ValueError(f"target must have shape ({n},)")
    if ((target < 0) | (target >= c)).any():
        raise ValueError(f"targets must lie in [0, {c})")
    m, _ = logits.max(dim=1, keepdim=True)
    shifted = logits - m
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))
    return -log_probs.gather(1, target.unsqueeze(1)).squeeze(1).mean()
