# mutant: multiplies the (N,) residual into X without [:, None], which broadcasts along columns
# expect: broadcasting
import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        residual = X @ a - y
        return 2 * (residual * X).mean(0)
