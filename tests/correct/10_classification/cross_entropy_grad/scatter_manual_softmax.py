# style: its own stable softmax (row max subtracted) and scatter_ for the one-hot
import torch


def cross_entropy_grad(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be (N, C)")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.dim() != 1 or len(target) != n:
        raise ValueError("target must be an int64 tensor of shape (N,)")
    if n and not (0 <= int(target.min()) and int(target.max()) < c):
        raise ValueError("a target lies outside [0, C)")
    z = logits.detach()
    e = torch.exp(z - z.max(dim=1, keepdim=True).values)
    softmax = e / e.sum(dim=1, keepdim=True)
    onehot = torch.zeros_like(z).scatter_(1, target[:, None], 1.0)
    return (softmax - onehot) / n
