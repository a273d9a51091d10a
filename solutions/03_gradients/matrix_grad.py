"""Kata 03_gradients/matrix_grad: the gradient of the MSE for a linear model y_hat = X @ a."""

import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    """Return dL/da for the model y_hat = X @ a and the loss L = mean((y_hat - y)**2).

    This is kata 03_gradients/linear_grad with every weight at once: column j of X plays the
    part of t_u for weight a[j] (a column of ones gives the bias). In matrix form:
        dL/da = (2/N) * X.T @ (X @ a - y)

    - X has shape (N, D), a has shape (D,), y has shape (N,). Keep the residual X @ a - y of
      shape (N,): an (N, 1) column minus an (N,) vector broadcasts to an N x N matrix.
    - Return a tensor of the shape of a, in the inputs' dtype (float32 or float64).
    - By hand, with tensor arithmetic: no backward(), no torch.autograd.
    - No autograd graph on the result, even when a requires grad.
    - Leave every input as it was.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        residual = X @ a - y
        return 2 * X.T @ residual / X.shape[0]
    ### END SOLUTION
