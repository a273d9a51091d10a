# mutant: keeps its nn.Linear in a plain Python list, so nn.Module never registers it
# expect: plain python list
"""Kata 05_loops/fit_module: a model as an nn.Module, and a loop that trains any module."""

import torch
from torch import nn


class LinearRegression(nn.Module):
    """A linear model ŷ = x·Wᵀ + b, built from exactly one `nn.Linear(input_dim, output_dim)`."""

    def __init__(self, input_dim: int, output_dim: int) -> None:
        super().__init__()
        self.layers = [nn.Linear(input_dim, output_dim)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map a batch x of shape (N, input_dim) to predictions of shape (N, output_dim)."""
        return self.layers[0](x)


def fit_module(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float,
               epochs: int) -> list[float]:
    """Train `model` in place on (X, y) with the mean squared error and plain SGD; return the losses.

    `model` can be ANY nn.Module (your LinearRegression, a bare nn.Linear, a small network):
    reach it only through `model(X)` and `model.parameters()`. X has shape (N, in), y has shape
    (N, out), and model(X) has the shape of y. Use `nn.MSELoss()` and
    `torch.optim.SGD(model.parameters(), lr=lr)`. In each of the `epochs` epochs: clear the
    gradients, compute the loss and record it as a Python float (before the update), then
    `backward()` and `step()`.

    Return the list of losses, one Python float per epoch. The model's own parameters end up
    trained (no copy of the model); X and y stay as they were.
    """
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
    return losses
