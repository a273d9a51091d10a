# style: extra attributes on the model, model.zero_grad(), the loss written out, SGD by hand under no_grad
import torch
from torch import nn


class LinearRegression(nn.Module):
    def __init__(self, input_dim: int, output_dim: int):
        super().__init__()
        self.input_dim, self.output_dim = input_dim, output_dim
        self.layer = nn.Linear(in_features=input_dim, out_features=output_dim)

    def forward(self, x):
        return self.layer(x)

    def extra_repr(self) -> str:
        return f"{self.input_dim} -> {self.output_dim}"


def fit_module(model: nn.Module, X, y, lr: float, epochs: int) -> list[float]:
    losses = []
    for _ in range(epochs):
        model.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                if p.grad is not None:
                    p -= lr * p.grad
    return losses
