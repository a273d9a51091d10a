# mutant: right numbers computed outside torch.no_grad(): the result carries a graph
# expect: still carries an autograd graph
import torch


def cross_entropy_grad(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    onehot = torch.nn.functional.one_hot(target, c).to(logits.dtype)
    return (torch.softmax(logits, dim=1) - onehot) / n
