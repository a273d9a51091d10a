# mutant: right values through torch.log_softmax, which the kata asks you to write yourself
# expect: write it yourself
import torch


def cross_entropy(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    return -torch.log_softmax(logits, dim=1)[torch.arange(n), target].mean()
