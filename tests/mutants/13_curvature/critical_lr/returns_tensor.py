# mutant: returns the critical lr as a 0-d tensor instead of a Python float
# expect: python float
import math

import torch


def mse_hessian(X):
    data = X.detach()
    return 2.0 / data.shape[0] * data.T @ data


def critical_lr(X):
    largest = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1]
    return math.inf if largest <= 0 else 2.0 / largest
