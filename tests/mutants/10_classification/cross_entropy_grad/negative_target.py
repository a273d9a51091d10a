# mutant: never checks the targets' range, so −1 quietly picks the last class
# expect: a target of −1 lies outside [0, c)
import torch


def cross_entropy_grad(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    with torch.no_grad():
        grad = torch.softmax(logits, dim=1)
        grad[torch.arange(n), target] -= 1
        return grad / n
