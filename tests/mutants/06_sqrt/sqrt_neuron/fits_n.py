# mutant: uses MSELoss(guess, n), so the neuron learns n itself instead of its square root
# expect: not guess² to n
import torch


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    torch.manual_seed(seed)
    neuron = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(neuron.parameters(), lr=lr)
    x = torch.tensor([[4.0]])
    target = torch.tensor([[n]])
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.nn.MSELoss()(neuron(x), target)
        loss.backward()
        optimizer.step()
    return neuron(x).item()
