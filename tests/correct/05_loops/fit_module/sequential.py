# style: the Linear inside an nn.Sequential; zero_grad(set_to_none=True) before backward
import torch
from torch import nn


class LinearRegression(nn.Module):
    def __init__(self, input_dim: int, output_dim: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(input_dim, output_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def fit_module(model: nn.Module, X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> list[float]:
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        prediction = model(X)
        loss = criterion(prediction, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
