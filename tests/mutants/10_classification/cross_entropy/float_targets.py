# mutant: turns any target into indices with .long(), so a float one-hot or float indices slip through
# expect: a float target is not a class index
import torch


def cross_entropy(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.shape != (n,):
        raise ValueError("target must have shape (N,)")
    target = target.long()
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(n), target]).mean()
