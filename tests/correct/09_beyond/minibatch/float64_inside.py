# style: float64 internals (X, y and a), a cast back to X's dtype at the end; list comprehension batches
import torch


def minibatch_sgd(X, y, batch_size, lr, epochs, generator):
    x64, y64 = X.double(), y.double()
    a = torch.zeros(X.shape[1], dtype=torch.float64)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(X.shape[0], generator=generator)
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        for rows in batches:
            xb, yb = x64[rows], y64[rows]
            a = a - lr * 2 * xb.T @ (xb @ a - yb) / len(rows)
        losses.append(((x64 @ a - y64) ** 2).mean().item())
    return a.to(X.dtype), losses
