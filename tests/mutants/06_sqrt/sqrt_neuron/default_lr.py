# mutant: builds the optimizer without lr=lr, so SGD runs at its default learning rate
# expect: default learning rate
import torch


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    neuron = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(neuron.parameters())
    x = torch.tensor([[4.0]])
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((n - neuron(x) ** 2) ** 2).sum()
        loss.backward()
        optimizer.step()
    return neuron(x).item()
