"""Public tests for 06_sqrt/sqrt_neuron. Run them with: pytest exercises/06_sqrt/test_sqrt_neuron.py"""

import math

import pytest
import torch
from sqrt_neuron import sqrt_neuron


def test_converges_to_a_square_root():
    result = sqrt_neuron(5.0, 0.001, 60, 0)
    assert isinstance(result, float), f"return a Python float (tensor.item()), got {type(result).__name__}"
    assert abs(result) == pytest.approx(math.sqrt(5.0), abs=1e-4), (
        f"sqrt_neuron(n=5, lr=0.001, steps=60, seed=0) should settle at +√5 or -√5 (±2.23607), got {result}"
    )


def test_one_step_from_the_seeded_start():
    torch.manual_seed(3)
    neuron = torch.nn.Linear(1, 1)
    w, b = neuron.weight.item(), neuron.bias.item()
    guess = 4.0 * w + b
    gradient = -4 * guess * (5.0 - guess**2)  # d/dguess (5 − guess²)²
    w, b = w - 0.001 * gradient * 4.0, b - 0.001 * gradient  # d guess/dw = 4, d guess/db = 1
    expected = 4.0 * w + b
    result = sqrt_neuron(5.0, 0.001, 1, 3)
    assert result == pytest.approx(expected, abs=1e-4), (
        f"one step with seed 3 should move the guess from {guess:.5f} to {expected:.5f}, got "
        f"{result}. Seed first (torch.manual_seed(seed)), then nn.Linear(1, 1), input [[4.0]], "
        "SGD with lr=lr, and return the guess computed after the update."
    )


def test_same_seed_same_answer():
    first, second = sqrt_neuron(5.0, 0.001, 5, 42), sqrt_neuron(5.0, 0.001, 5, 42)
    assert first == second, (
        f"two calls with seed 42 gave {first} and {second}: call torch.manual_seed(seed) before "
        "building the neuron"
    )
