# mutant: asks autograd for the gradient, which fails under torch.no_grad()
# expect: by hand means without it
import torch


def cross_entropy_grad(logits, target):
    if logits.dim() != 2:
        raise ValueError("logits must be 2-D")
    n, c = logits.shape
    if target.dtype != torch.int64 or target.shape != (n,):
        raise ValueError("target must be int64 of shape (N,)")
    if n and (target.min() < 0 or target.max() >= c):
        raise ValueError("target outside [0, C)")
    z = logits.detach().clone().requires_grad_(True)
    m = z.max(dim=1, keepdim=True).values.detach()
    loss = (m.squeeze(1) + torch.log(torch.exp(z - m).sum(dim=1)) - z[torch.arange(n), target]).mean()
    (grad,) = torch.autograd.grad(loss, z)
    return grad
