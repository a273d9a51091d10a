"""Kata 05_loops/fit_optim: the same training loop, with nn.MSELoss and torch.optim.SGD."""

import torch


def fit_optim(X: torch.Tensor, y: torch.Tensor, lr: float,
              epochs: int) -> tuple[float, list[float]]:
    """Fit ŷ = w·x to the points (X, y), letting PyTorch supply the loss and the optimizer.

    X and y are 1-D tensors of the same length (float32 or float64); work in their dtype.
    w is a 0-d tensor holding 0.0 that requires grad. Let `torch.nn.MSELoss()` compute the loss and
    `torch.optim.SGD([w], lr=lr)` do the update. In each of the `epochs` epochs:

    1. clear the old gradient with the optimizer's `zero_grad()`;
    2. compute the loss of ŷ = w·X against y and record it as a Python float, before the update;
    3. `backward()`, then the optimizer's `step()`.

    Return a tuple (w, losses): w as a Python float, losses as a list of Python floats, one per
    epoch. Leave X and y as they were.

    The trajectory is the same as in fit_numpy and fit_autograd: on X = [1, 2, 3, 4], y = 2X,
    lr = 0.01, losses[0] is 30.0, one epoch takes w to 0.3, and many epochs take w to 2.
    """
    ### BEGIN SOLUTION
    w = torch.zeros((), dtype=X.dtype, requires_grad=True)
    loss_fn = torch.nn.MSELoss()
    optimizer = torch.optim.SGD([w], lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(w * X, y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return w.item(), losses
    ### END SOLUTION
