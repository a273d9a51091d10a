# mutant: never calls torch.manual_seed(seed), so the neuron starts somewhere random
# expect: torch.manual_seed(seed)
import torch


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    neuron = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(neuron.parameters(), lr=lr)
    x = torch.tensor([[4.0]])
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((n - neuron(x) ** 2) ** 2).sum()
        loss.backward()
        optimizer.step()
    return neuron(x).item()
