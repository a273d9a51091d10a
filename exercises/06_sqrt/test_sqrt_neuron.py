"""Public tests for 06_sqrt/sqrt_neuron. Run them with: pytest exercises/06_sqrt/test_sqrt_neuron.py"""

import math

import pytest
import torch
from sqrt_neuron import sqrt_neuron

INPUT = 4.0


def start(seed, dtype=torch.float32):
    """The neuron's weight and bias right after torch.manual_seed(seed) (the global generator is
    left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layer = torch.nn.Linear(1, 1, dtype=dtype)
    return layer.weight.item(), layer.bias.item()


def dloss(n, g):
    return -4 * g * (n - g * g)  # d/dguess (n − guess²)²


def descend(n, lr, steps, w, b, *, x=INPUT, grad=dloss, accumulate=False):
    """Plain SGD on weight and bias in Python floats: the guesses before the first update and
    after each one (d guess/d weight = x, d guess/d bias = 1)."""
    total_w = total_b = 0.0
    guesses = [x * w + b]
    for _ in range(steps):
        g = grad(n, x * w + b)
        gw, gb = g * x, g
        if accumulate:
            total_w, total_b = total_w + gw, total_b + gb
            gw, gb = total_w, total_b
        w, b = w - lr * gw, b - lr * gb
        guesses.append(x * w + b)
    return guesses


def close(got, want):
    return math.isfinite(got) and abs(got - want) <= 2e-4 * abs(want) + 2e-6 * max(1.0, abs(want))


def diagnosis(got, n, lr, steps, seed):
    w, b = start(seed)
    right = descend(n, lr, steps, w, b)
    if not math.isfinite(got) or abs(got) > 1e6:
        return ("the descent diverged (the guess ran off to a huge number, inf or nan): check the loss "
                "(n − guess²)² and that the optimizer gets lr=lr")
    known = {
        "the gradients accumulate across steps: call optimizer.zero_grad() every step":
            descend(n, lr, steps, w, b, accumulate=True)[-1],
        "that is the guess from before the last update: compute neuron(input) again after the loop":
            right[-2],
        "the input should be [[4.0]]": descend(n, lr, steps, w, b, x=1.0)[-1],
        "that fits guess to n, not guess² to n: the loss is (n − guess²)²":
            descend(n, lr, steps, w, b, grad=lambda n, g: 2.0 * (g - n))[-1],
    }
    if lr != 1e-3:
        known["that is SGD's default learning rate: pass lr=lr to torch.optim.SGD"] = descend(
            n, 1e-3, steps, w, b)[-1]
    for label, wrong in known.items():
        if close(got, wrong):
            return label
    if close(-got, right[-1]):
        return ("you landed on the other root: where the descent ends depends on the neuron's random "
                "start, so call torch.manual_seed(seed) right before nn.Linear(1, 1)")
    return ("the trajectory differs from torch.manual_seed(seed), then nn.Linear(1, 1), the input "
            "[[4.0]] and torch.optim.SGD(neuron.parameters(), lr=lr)")


def check(n, lr, steps, seed):
    got = float(sqrt_neuron(n, lr, steps, seed))  # the type has its own test
    # a neuron built in float32 (the contract) or in float64 (its random start differs) is fine
    ends = [descend(n, lr, steps, *start(seed, dtype))[-1] for dtype in (torch.float32, torch.float64)]
    assert any(close(got, end) for end in ends), (
        f"sqrt_neuron(n={n:g}, lr={lr:g}, steps={steps}, seed={seed}) should be {ends[0]:.6g} (the neuron "
        f"starts at weight, bias = {start(seed)[0]:.6g}, {start(seed)[1]:.6g}), got {got!r}: "
        f"{diagnosis(got, n, lr, steps, seed)}")
    return got


def test_returns_a_python_float():
    result = sqrt_neuron(5.0, 0.001, 30, 0)
    assert type(result) is float, (
        f"sqrt_neuron should return the guess as a Python float; it returned a {type(result).__name__} "
        f"({result!r}). A one-element tensor's .item() gives a Python float")


def test_converges_to_a_square_root():
    got = check(5.0, 0.001, 60, 0)
    assert abs(abs(got) - math.sqrt(5.0)) < 1e-4, (
        f"sqrt_neuron(n=5, lr=0.001, steps=60, seed=0) should settle at +√5 or −√5 (±2.23607), got {got}")


def test_one_step_from_the_seeded_start():
    # seed 0: weight −0.00749, bias 0.53644, so the guess starts at 4·w + b = 0.50650;
    # one SGD step moves w by −lr·4·dLoss/dguess and b by −lr·dLoss/dguess
    check(5.0, 0.001, 1, 0)


@pytest.mark.parametrize("n, lr, steps, seed", [
    (5.0, 0.001, 3, 3),    # starts at −4.75 and crosses zero
    (3.0, 0.002, 12, 4),   # a learning rate other than SGD's default 0.001
    (5.0, 0.001, 30, 7),   # this seed ends at −√5
])
def test_follows_the_seeded_trajectory(n, lr, steps, seed):
    check(n, lr, steps, seed)


def test_same_seed_same_answer():
    first, second = sqrt_neuron(5.0, 0.001, 5, 42), sqrt_neuron(5.0, 0.001, 5, 42)
    assert first == second, (
        f"two calls with seed 42 gave {first} and {second}: call torch.manual_seed(seed) first, then "
        "build nn.Linear(1, 1)")
