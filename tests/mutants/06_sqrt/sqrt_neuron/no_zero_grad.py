# mutant: never calls optimizer.zero_grad(), so every step adds to the old gradients
# expect: accumulat
import torch


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    neuron = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(neuron.parameters(), lr=lr)
    x = torch.tensor([[4.0]])
    for _ in range(steps):
        loss = ((n - neuron(x) ** 2) ** 2).sum()
        loss.backward()
        optimizer.step()
    return neuron(x).item()
