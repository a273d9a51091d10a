"""Kata 06_sqrt/sqrt_neuron: one neuron, nn.Linear(1, 1), learns a square root."""

import torch  # noqa: F401 - the stub does not use it yet; your solution will


def sqrt_neuron(n: float, lr: float, steps: int, seed: int) -> float:
    """Let a single neuron learn to output √n (or -√n) when it is shown the number 4.0.

    The neuron's weight and bias play the parts of scale and shift from the previous kata, but
    they start at random values, so the seed decides where the descent begins.

    - First call torch.manual_seed(seed), then build the neuron: torch.nn.Linear(1, 1), in the
      default dtype (float32). The same seed must give the same answer every time.
    - The input is the batch [[4.0]] (one sample, one feature): guess = neuron(input).
    - Train with torch.optim.SGD(neuron.parameters(), lr=lr) for `steps` steps, each on the loss
      (n - guess²)²: clear the gradients, backward, step.
    - Return the neuron's guess after the last update, as a Python float.
    """
    raise NotImplementedError("06_sqrt/sqrt_neuron: your code goes here (see the docstring)")
