# style: numpy for both the matrix product and the eigenvalues
import math

import numpy as np
import torch


def mse_hessian(X):
    data = X.detach().numpy()
    hessian = 2.0 * (data.T @ data) / data.shape[0]
    return torch.from_numpy(np.ascontiguousarray(hessian)).to(X.dtype)


def critical_lr(X):
    eigenvalues = np.linalg.eigvalsh(mse_hessian(X).numpy().astype(np.float64))
    largest = float(eigenvalues.max())
    return 2.0 / largest if largest > 0 else math.inf
