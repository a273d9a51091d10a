# style: H as a sum of outer products, one row of X at a time; max of all eigenvalues
import math

import torch


def mse_hessian(X):
    n, d = X.shape
    total = torch.zeros(d, d, dtype=X.dtype)
    for row in X.detach():
        total += torch.outer(row, row)
    return total * 2 / n


def critical_lr(X):
    values = torch.linalg.eigvalsh(mse_hessian(X).to(dtype=torch.float64))
    largest = values.max().item()
    return math.inf if largest == 0 else float(2 / largest)
