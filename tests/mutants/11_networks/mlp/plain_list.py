# mutant: keeps the layers in a plain Python list, so nn.Module never registers them
# expect: plain python list
"""Kata 11_networks/mlp: a multilayer perceptron as an nn.Module."""

import torch
from torch import nn


class MLP(nn.Module):
    """A stack of nn.Linear layers with a ReLU between each two: sizes = [d_in, h1, ..., d_out].

    - sizes holds at least two numbers, all at least 1; raise ValueError otherwise.
    - Create one nn.Linear(sizes[i], sizes[i + 1]) for each consecutive pair, first to last, and
      draw nothing else from torch's random generator. Then, after the same torch.manual_seed,
      your MLP has exactly the weights (and the outputs) of
          nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), ..., nn.Linear(sizes[-2], sizes[-1]))
    - Register the layers, in order (as attributes, in an nn.ModuleList or in an nn.Sequential),
      so that parameters() yields W0, b0, W1, b1, ... in layer order. nn.Module does not look
      inside a plain Python list: layers kept in one are invisible, parameters() is empty, and
      .double(), state_dict() and optimizers never see them.
    """

    def __init__(self, sizes: list[int]) -> None:
        super().__init__()
        if len(sizes) < 2 or any(size < 1 for size in sizes):
            raise ValueError(f"sizes needs at least two numbers, all >= 1; got {sizes}")
        pairs = zip(sizes, sizes[1:], strict=False)
        self.layers = [nn.Linear(n_in, n_out) for n_in, n_out in pairs]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Map x of shape (N, sizes[0]) to (N, sizes[-1]): each Linear in turn, a ReLU after every
        one but the last (the outputs are logits or regression values: they may be negative)."""
        *hidden, last = self.layers
        for layer in hidden:
            x = torch.relu(layer(x))
        return last(x)
