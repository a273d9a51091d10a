# mutant: turns the caller's logits into the softmax in place, to save a copy
# expect: changed logits in place
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
        logits.copy_(torch.softmax(logits, dim=1))
        grad = logits.clone()
        grad[torch.arange(n), target] -= 1
        return grad / n
