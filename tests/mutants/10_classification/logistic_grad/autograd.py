# mutant: asks autograd for the gradient, which is not "by hand": it fails under torch.no_grad()
# expect: by hand means without it
import torch


def logistic_grad(X, y, w, b):
    w = w.detach().clone().requires_grad_(True)
    b = b.detach().clone().requires_grad_(True)
    z = X @ w + b
    loss = (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean()
    gw, gb = torch.autograd.grad(loss, (w, b))
    return gw, gb
