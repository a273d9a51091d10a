# style: σ(z) = 1 / (1 + e^(−z)) on detached inputs (e^(1e4) = inf gives 1/inf = 0, not nan)
import torch


def logistic_grad(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                  b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    X, y, w, b = X.detach(), y.detach(), w.detach(), b.detach()
    p = 1 / (1 + torch.exp(-(X @ w + b)))
    error = p - y
    n = len(y)
    return error @ X / n, error.sum() / n
