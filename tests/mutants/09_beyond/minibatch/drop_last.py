# mutant: only takes full batches, dropping the smaller last one
# expect: smaller batch was dropped
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for i in range(n // batch_size):
            rows = order[i * batch_size:(i + 1) * batch_size]
            xb, yb = X[rows], y[rows]
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / batch_size
        losses.append(((X @ a - y) ** 2).mean().item())
    return a, losses
