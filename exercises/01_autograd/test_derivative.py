"""Public tests for 01_autograd/derivative. Run them with: pytest exercises/01_autograd/test_derivative.py"""

import math

import torch
from derivative import derivative


def test_slope_of_a_square():
    slope = derivative(lambda x: x**2, 3.0)
    assert type(slope) is float, (
        f"derivative should return a Python float, got a {type(slope).__name__}: "
        "turn a 0-d tensor into a float with .item()"
    )
    assert slope == 6.0, f"d/dx x² at x = 3 is 2·3 = 6, got {slope}"


def test_slope_of_sin_times_exp():
    slope = derivative(lambda x: torch.sin(x) * torch.exp(x / 2), 1.0)
    expected = math.exp(0.5) * (math.cos(1.0) + math.sin(1.0) / 2)
    assert abs(float(slope) - expected) < 1e-12, (
        f"d/dx sin(x)·exp(x/2) at x = 1 is exp(1/2)·(cos 1 + sin(1)/2) = {expected!r}, got "
        f"{float(slope)!r}. Only a few digits right? Build x in float64 and use autograd, "
        "not a finite difference"
    )


def test_f_gets_a_0d_float64_tensor():
    seen = []

    def f(x):
        seen.append((x.dtype, x.dim()) if isinstance(x, torch.Tensor) else type(x).__name__)
        return 5 * x

    derivative(f, 2.0)
    assert seen and all(s == (torch.float64, 0) for s in seen), (
        f"f should be given a 0-d float64 tensor, as (dtype, number of dims) it got {seen}: "
        "use torch.tensor(x, dtype=torch.float64, requires_grad=True)"
    )
