# mutant: a stable softmax first, then the log of the right class's probability: log 0 = −inf when
# that probability rounds to 0
# expect: a log of a softmax
import torch


def cross_entropy(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    e = torch.exp(logits - logits.max(dim=1, keepdim=True).values)
    probs = e / e.sum(dim=1, keepdim=True)
    return -torch.log(probs[torch.arange(n), target]).mean()
