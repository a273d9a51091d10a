# mutant: computes the eigenvalues in float32
# expect: computed in float32
import math

import torch


def mse_hessian(X):
    data = X.detach()
    return 2.0 / data.shape[0] * data.T @ data


def critical_lr(X):
    largest = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float32))[-1].item()
    return math.inf if largest <= 0 else 2.0 / largest
