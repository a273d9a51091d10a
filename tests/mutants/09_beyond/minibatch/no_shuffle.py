# mutant: visits the rows in their stored order, never shuffling
# expect: stored order
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / len(yb)
        losses.append(((X @ a - y) ** 2).mean().item())
    return a, losses
