# mutant: LinearRegression keeps its own nn.Parameter weight and bias instead of an nn.Linear
# expect: exactly one
import torch
from torch import nn


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(output_dim, input_dim) * 0.1)
        self.bias = nn.Parameter(torch.zeros(output_dim))

    def forward(self, x):
        return x @ self.weight.T + self.bias


def fit_module(model, X, y, lr, epochs):
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
