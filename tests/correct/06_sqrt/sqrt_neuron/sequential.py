# style: the Linear inside nn.Sequential, zero_grad(set_to_none=True) after step(), x.pow(2)
import torch
from torch import nn


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(1, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    x = torch.full((1, 1), 4.0)
    for _ in range(steps):
        loss = (n - model(x).pow(2)).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    return model(x).detach().item()
