# style: X and y shuffled once per epoch then .split() into batches, by hand with einsum, a.sub_ in place
import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    n = X.shape[0]
    a = X.new_zeros(X.shape[1])
    losses = []
    for _ in range(epochs):
        perm = torch.randperm(n, generator=generator)
        for xb, yb in zip(X[perm].split(batch_size), y[perm].split(batch_size), strict=True):
            residual = torch.einsum("bd,d->b", xb, a) - yb
            a.sub_(lr * 2 * torch.einsum("bd,b->d", xb, residual) / len(yb))
        full = X @ a - y
        losses.append(float(torch.dot(full, full) / n))
    return a, losses
