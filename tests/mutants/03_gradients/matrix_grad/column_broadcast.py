# mutant: makes a a column, so X @ a is (N,1) and minus y (N,) broadcasts to N×N
# expect: (N,1) column met an (N,) vector
import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        residual = X @ a.reshape(-1, 1) - y
        return 2 * X.T @ residual / X.shape[0]
