# mutant: reports the average of the batch losses met during the epoch, not the full-data MSE after it
# expect: average of the batch losses
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        seen = []
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = X[rows], y[rows]
            seen.append(((xb @ a - yb) ** 2).mean().item())
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / len(rows)
        losses.append(sum(seen) / len(seen))
    return a, losses
