# mutant: takes the first eigenvalue eigvalsh returns, which is the smallest
# expect: 2/λmin
import math

import torch


def mse_hessian(X):
    data = X.detach()
    return 2.0 / data.shape[0] * data.T @ data


def critical_lr(X):
    eigenvalues = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))
    return math.inf if eigenvalues[-1] <= 0 else 2.0 / eigenvalues[0].item()
