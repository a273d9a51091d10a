# mutant: right numbers, but autograd records them, so the result carries a graph
# expect: autograd graph
import torch


def matrix_grad(X: torch.Tensor, y: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    return 2 * X.T @ (X @ a - y) / X.shape[0]
