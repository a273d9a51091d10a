# style: an nn.Module subclass wrapping the Linear, loss.sum(), the final guess under torch.inference_mode()
import torch
from torch import nn


class Neuron(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    model = Neuron()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x = torch.tensor([[4.0]])
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((n - model(x) ** 2) ** 2).sum()
        loss.backward()
        optimizer.step()
    with torch.inference_mode():
        return model(x).item()
