# mutant: σ(z) written as e^z / (1 + e^z): inf / inf = nan at z = 1e4
# expect: inf/inf = nan
import torch


def logistic_grad(X, y, w, b):
    with torch.no_grad():
        z = X @ w + b
        p = torch.exp(z) / (1 + torch.exp(z))
        r = p - y
        return X.T @ r / X.shape[0], r.mean()
