# mutant: draws one permutation before the loop and reuses it every epoch
# expect: same order was used in every epoch
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    order = torch.randperm(n, generator=generator)
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = X[rows], y[rows]
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / len(rows)
        losses.append(((X @ a - y) ** 2).mean().item())
    return a, losses
