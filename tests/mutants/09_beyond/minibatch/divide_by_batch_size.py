# mutant: divides every batch by batch_size, the smaller last batch too
# expect: divided by batch_size
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = X[rows], y[rows]
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / batch_size
        losses.append(((X @ a - y) ** 2).mean().item())
    return a, losses
