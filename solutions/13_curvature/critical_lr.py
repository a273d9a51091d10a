"""Kata 13_curvature/critical_lr: the largest learning rate gradient descent survives on a linear model."""

import math  # noqa: F401 - the stub does not use it yet; your solution may

import torch


def mse_hessian(X: torch.Tensor) -> torch.Tensor:
    """Return the Hessian of the MSE of the linear model ŷ = X @ a, with respect to a.

    X has shape (N, D). The loss L(a) = mean((X @ a − y)²) is a quadratic in a, so its Hessian is
    the same everywhere: H = (2/N)·XᵀX, shape (D, D). It depends on neither y nor a.

    - Work in X's dtype, and return a plain tensor with no autograd graph, even if X requires grad.
    - Do not modify X.
    """
    ### BEGIN SOLUTION
    data = X.detach()
    return (2.0 / data.shape[0]) * (data.T @ data)
    ### END SOLUTION


def critical_lr(X: torch.Tensor) -> float:
    """Return the learning rate above which plain gradient descent on that MSE diverges: 2/λmax.

    One step of gradient descent multiplies the error along each eigenvector of H by (1 − lr·λ).
    That factor stays between −1 and 1 for every eigenvalue λ exactly when 0 < lr < 2/λmax, so GD
    converges for lr below 2/λmax and diverges above it.

    - λmax is the largest eigenvalue of H = mse_hessian(X), computed with torch.linalg.eigvalsh in
      float64 (convert H first): float32 is not precise enough for the grader.
    - Return a Python float; math.inf when H = 0 (then no learning rate diverges).
    - Do not modify X.

    Example: X = the temperature chapter's t_u with a column of ones (the model w·t_u + b): the
    eigenvalues of H are 0.175108 and 5883.42, so the critical lr is 3.39938e-4.
    """
    ### BEGIN SOLUTION
    largest = torch.linalg.eigvalsh(mse_hessian(X).to(torch.float64))[-1].item()
    return math.inf if largest <= 0 else 2.0 / largest
    ### END SOLUTION
