# mutant: builds H from X itself, so H carries a graph when X requires grad
# expect: still carries an autograd graph
import math

import torch


def mse_hessian(X):
    return 2.0 / X.shape[0] * X.T @ X


def critical_lr(X):
    largest = torch.linalg.eigvalsh(mse_hessian(X).detach().to(torch.float64))[-1].item()
    return math.inf if largest <= 0 else 2.0 / largest
