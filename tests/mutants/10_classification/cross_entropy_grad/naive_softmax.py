# mutant: softmax written as e^z / Σ e^z: inf / inf = nan at z = 1e4
# expect: inf / inf = nan
import torch


def cross_entropy_grad(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    with torch.no_grad():
        e = torch.exp(logits)
        grad = e / e.sum(dim=1, keepdim=True)
        grad[torch.arange(n), target] -= 1
        return grad / n
