# style: an nn.ModuleList holding Linears and nn.ReLU modules alike, applied in turn
"""Kata 11_networks/mlp: a multilayer perceptron as an nn.Module."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, sizes: list[int]) -> None:
        super().__init__()
        if not (len(sizes) >= 2 and all(s >= 1 for s in sizes)):
            raise ValueError("sizes: at least two, all >= 1")
        self.steps = nn.ModuleList()
        for n_in, n_out in zip(sizes, sizes[1:], strict=False):
            if len(self.steps):
                self.steps.append(nn.ReLU())
            self.steps.append(nn.Linear(n_in, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for step in self.steps:
            x = step(x)
        return x
