# style: one nn.Sequential attribute with nn.ReLU modules, built from a list of layers
"""Kata 11_networks/mlp: a multilayer perceptron as an nn.Module."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, sizes: list[int]) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise ValueError("at least two sizes")
        for size in sizes:
            if size < 1:
                raise ValueError(f"a size below 1: {size}")
        layers: list[nn.Module] = []
        for i in range(len(sizes) - 1):
            if layers:
                layers.append(nn.ReLU())
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
