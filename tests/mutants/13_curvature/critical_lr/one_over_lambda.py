# mutant: returns 1/λmax, the lr that is best along the top eigenvector, not the edge 2/λmax
# expect: that is 1/λmax
import math

import torch


def mse_hessian(X):
    data = X.detach()
    return 2.0 / data.shape[0] * data.T @ data


def critical_lr(X):
    largest = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1].item()
    return math.inf if largest <= 0 else 1.0 / largest
