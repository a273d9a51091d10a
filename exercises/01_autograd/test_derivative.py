"""Public tests for 01_autograd/derivative. Run them with: pytest exercises/01_autograd/test_derivative.py"""

import math

import torch
from derivative import derivative


def check_slope(slope, expected, f_text, x, f_of_x, tolerance=1e-12):
    """The slope is right to float64 precision; otherwise say which mistake it looks like."""
    got = float(slope)
    if abs(got - expected) <= tolerance * max(1.0, abs(expected)):
        return
    if abs(got - f_of_x) <= 1e-9 * max(1.0, abs(f_of_x)):
        why = "you returned f(x) itself, not its slope f'(x): return the .grad of your tensor"
    elif abs(got - expected) <= 1e-4 * max(1.0, abs(expected)):
        why = (f"the values are off by {abs(got - expected):.3g}: only a few digits are right. Build x in "
               "float64 and differentiate with autograd (backward or torch.autograd.grad), not with a "
               "finite difference")
    else:
        why = "the values are off"
    raise AssertionError(
        f"derivative(f, {x!r}) with f(x) = {f_text}: expected f'(x) = {expected!r}, "
        f"got {got!r}. {why}"
    )


def test_slope_of_a_square():
    slope = derivative(lambda t: t**2, 3.0)
    assert type(slope) is float, (
        f"derivative should return a Python float, got a {type(slope).__name__}: "
        "turn a 0-d tensor into a float with .item()"
    )
    check_slope(slope, 6.0, "x²", 3.0, f_of_x=9.0)  # d/dx x² = 2x = 6 at x = 3


def test_slope_of_sin_times_exp():
    def f(t):
        return torch.sin(t) * torch.exp(t / 2)

    for x in (1.0, -3.2):
        expected = math.exp(x / 2) * (math.cos(x) + math.sin(x) / 2)  # the product rule
        check_slope(derivative(f, x), expected, "sin(x)·exp(x/2)", x, f_of_x=math.sin(x) * math.exp(x / 2))


def test_f_gets_a_0d_float64_tensor_and_float64_accuracy():
    seen = []

    def f(t):
        seen.append((t.dtype, t.dim()) if isinstance(t, torch.Tensor) else type(t).__name__)
        return (1000.0 * 1000.0) - 2000.0 * t + t**2  # (x − 1000)², expanded

    slope = derivative(f, 1000.3)
    assert seen and all(s == (torch.float64, 0) for s in seen), (
        f"f should be given a 0-d float64 tensor; as (dtype, number of dims) it got {seen}: "
        "use torch.tensor(x, dtype=torch.float64, requires_grad=True)"
    )
    # the slope 2(x − 1000) = 0.6 comes out of a cancellation between numbers near 2000: float32
    # keeps only about 4 of its digits (0.59998), float64 keeps 12
    check_slope(slope, 2 * (1000.3 - 1000.0), "1000000 − 2000·x + x²", 1000.3,
                f_of_x=(1000.3 - 1000.0) ** 2, tolerance=1e-9)
