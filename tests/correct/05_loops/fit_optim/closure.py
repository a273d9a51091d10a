# style: optimizer.step(closure), the closure zeroes, computes the loss and calls backward()
import torch
from torch import nn


def fit_optim(X: torch.Tensor, y: torch.Tensor, lr: float, epochs: int) -> tuple[float, list[float]]:
    params = [torch.zeros((), dtype=X.dtype, requires_grad=True)]
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(params, lr)

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = loss_fn(X * params[0], y)
        loss.backward()
        return loss

    losses = [float(optimizer.step(closure)) for _ in range(epochs)]
    return float(params[0]), losses
