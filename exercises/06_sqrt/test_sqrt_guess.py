"""Public tests for 06_sqrt/sqrt_guess. Run them with: pytest exercises/06_sqrt/test_sqrt_guess.py"""

import math

import pytest
from sqrt_guess import sqrt_by_descent


def test_square_root_of_five():
    result = sqrt_by_descent(5.0, 4.0, 0.01, 20)
    assert isinstance(result, float), (
        f"return the guess as a Python float (tensor.item() gives one), got {type(result).__name__}"
    )
    assert result == pytest.approx(2.23607, abs=1e-5), (
        f"sqrt_by_descent(n=5, guess=4, lr=0.01, steps=20) should be about 2.23607 (√5 = 2.2360679…), "
        f"got {result}. The first step alone goes 4 → 2.24: d/dg (5 − g²)² = −4g(5 − g²) = 176 at g = 4."
    )


def test_one_step():
    result = sqrt_by_descent(5.0, 4.0, 0.01, 1)
    assert result == pytest.approx(2.24, abs=1e-5), (
        f"one step from guess 4 with lr 0.01 should give 4 − 0.01·176 = 2.24, got {result}. "
        "The gradient of (n − g²)² is −4g(n − g²): check the factor 4 and the sign of the step."
    )


def test_negative_start_finds_the_negative_root():
    result = sqrt_by_descent(5.0, -4.0, 0.01, 20)
    assert result == pytest.approx(-math.sqrt(5.0), abs=1e-5), (
        f"starting from guess -4 the descent should settle near -√5 = -2.23607, got {result}"
    )
