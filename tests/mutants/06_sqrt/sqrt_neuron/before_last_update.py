# mutant: returns the guess made at the top of the last step, before that step's update
# expect: before the last update
import torch


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    neuron = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(neuron.parameters(), lr=lr)
    x = torch.tensor([[4.0]])
    for _ in range(steps):
        guess = neuron(x)
        loss = ((n - guess**2) ** 2).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return guess.item()
