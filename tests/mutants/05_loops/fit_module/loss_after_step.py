# mutant: logs the loss of the stepped model, one epoch late
# expect: record each loss before optimizer.step()
import torch
from torch import nn


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.linear = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.linear(x)


def fit_module(model, X, y, lr, epochs):
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss_fn(model(X), y).backward()
        optimizer.step()
        with torch.no_grad():
            losses.append(loss_fn(model(X), y).item())
    return losses
