"""Kata 09_beyond/minibatch: mini-batch SGD on a linear model, with a shuffled order every epoch."""

import torch


def minibatch_sgd(X: torch.Tensor, y: torch.Tensor, batch_size: int, lr: float, epochs: int,
                  generator: torch.Generator) -> tuple[torch.Tensor, list[float]]:
    """Fit y ≈ X @ a by mini-batch stochastic gradient descent on the mean squared error.

    X has shape (N, D) and y shape (N,). Start from a = zeros(D) in the dtype of X. Then, for each
    of the `epochs` epochs:

    - draw the visiting order with `torch.randperm(N, generator=generator)`, once per epoch,
      and draw nothing else from the generator (the grader replays the same order);
    - walk through that order in batches of batch_size rows; the last batch is smaller when
      batch_size does not divide N (keep it: every row is visited once per epoch);
    - for each batch, one update a <- a - lr * grad, where grad is the gradient of the MSE over
      that batch only: (2 / B) * Xbᵀ (Xb @ a - yb), with B the batch's own size;
    - after the epoch's last update, append the MSE over the full data, as a Python float.

    With batch_size = N this is plain full-batch gradient descent. Return (a, losses): a as a
    tensor without an autograd graph, losses as a list of `epochs` floats. Leave X and y as
    they were.
    """
    ### BEGIN SOLUTION
    n, d = X.shape
    a = torch.zeros(d, dtype=X.dtype)
    losses = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            xb, yb = X[rows], y[rows]
            grad = 2 * xb.T @ (xb @ a - yb) / len(rows)
            a = a - lr * grad
        losses.append(((X @ a - y) ** 2).mean().item())
    return a, losses
    ### END SOLUTION
