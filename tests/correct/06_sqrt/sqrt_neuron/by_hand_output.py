# style: loss.squeeze() before backward, the final guess read off weight and bias by hand
import torch


def sqrt_neuron(n, lr, steps, seed):
    torch.manual_seed(seed)
    neuron = torch.nn.Linear(1, 1)
    sgd = torch.optim.SGD(neuron.parameters(), lr)
    inputs = torch.tensor([[4.0]])
    for _ in range(steps):
        sgd.zero_grad()
        guess = neuron(inputs)
        loss = (n - guess * guess) ** 2
        loss.squeeze().backward()
        sgd.step()
    with torch.no_grad():
        final = 4.0 * neuron.weight + neuron.bias
    return float(final)
