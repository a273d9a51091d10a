# mutant: the log-sum-exp runs over dim 0, down the batch, instead of over each row's classes
# expect: softmax is taken over dim 0
import torch


def cross_entropy(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    m = logits.max(dim=0, keepdim=True).values
    log_probs = logits - m - torch.log(torch.exp(logits - m).sum(dim=0, keepdim=True))
    return -log_probs[torch.arange(n), target].mean()
