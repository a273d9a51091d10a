# style: old-style super(), F.mse_loss, zero_grad(set_to_none=False) zeros, float() of the loss
import torch
import torch.nn.functional as F
from torch import nn


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegression, self).__init__()  # noqa: UP008 - the style under test
        self.fc = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        out = self.fc(x)
        return out


def fit_module(model, X, y, lr, epochs):
    optimizer = torch.optim.SGD(params=model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad(set_to_none=False)
        loss = F.mse_loss(model(X), y)
        losses.append(float(loss))
        loss.backward()
        optimizer.step()
    return losses
