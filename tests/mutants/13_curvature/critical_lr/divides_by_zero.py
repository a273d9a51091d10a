# mutant: divides by λmax without a case for H = 0
# expect: math.inf
import torch


def mse_hessian(X):
    data = X.detach()
    return 2.0 / data.shape[0] * data.T @ data


def critical_lr(X):
    return 2.0 / torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1].item()
