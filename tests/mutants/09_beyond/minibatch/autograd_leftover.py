# mutant: trains with autograd but returns a still requiring grad, and losses as 0-d tensors
# expect: autograd graph
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype, requires_grad=True)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            loss = ((X[rows] @ a - y[rows]) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                a -= lr * a.grad
                a.grad.zero_()
        with torch.no_grad():
            losses.append(((X @ a - y) ** 2).mean())
    return a, losses
