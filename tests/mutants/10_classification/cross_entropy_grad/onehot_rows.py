# mutant: builds the one-hot with onehot[target] = 1, which fills whole rows
# expect: the one-hot has its 1s in the wrong place
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
        onehot = torch.zeros_like(logits)
        onehot[target] = 1
        return (torch.softmax(logits, dim=1) - onehot) / n
