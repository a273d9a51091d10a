# mutant: sums over the rows instead of averaging
# expect: off by a factor of N
import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return 2 * X.T @ (X @ a - y)
