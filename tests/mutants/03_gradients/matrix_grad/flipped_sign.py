# mutant: target minus prediction
# expect: sign is flipped
import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return 2 * X.T @ (y - X @ a) / X.shape[0]
