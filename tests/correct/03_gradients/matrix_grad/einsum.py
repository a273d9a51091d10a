# style: torch.einsum for both products, on a.detach()
import torch


def matrix_grad(X, y, a):
    a = a.detach()
    residual = torch.einsum("nd,d->n", X, a) - y
    return 2 * torch.einsum("nd,n->d", X, residual) / X.shape[0]
