# mutant: H = (1/N)·XᵀX, forgetting the 2 that differentiating the square brings
# expect: half the hessian
import math

import torch


def mse_hessian(X):
    data = X.detach()
    return data.T @ data / data.shape[0]


def critical_lr(X):
    largest = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1].item()
    return math.inf if largest <= 0 else 2.0 / largest
