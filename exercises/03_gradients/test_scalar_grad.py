"""Public tests for 03_gradients/scalar_grad.

Run them with: pytest exercises/03_gradients/test_scalar_grad.py
"""

import numpy as np
import pytest
from scalar_grad import dmse_dw

X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
Y = 2 * X


def test_the_notebooks_first_gradient():
    grad = dmse_dw(X, Y, 0.0)
    hint = ""
    if grad == pytest.approx(-120.0):
        hint = " You got -120: off by a factor of N = 4. The loss is a mean, so divide by N."
    elif grad == pytest.approx(30.0):
        hint = " The sign is flipped: the residual is w*x - y, prediction minus target."
    elif grad == pytest.approx(-15.0):
        hint = " Half the answer: the factor 2 from differentiating the square is missing."
    assert grad == pytest.approx(-30.0), (
        "with x = [1, 2, 3, 4], y = 2x and w = 0, dL/dw = (2/4) * sum(x * (0 - 2x)) "
        f"= (2/4) * (-60) = -30.0, got {grad}.{hint}"
    )


def test_zero_at_the_minimum():
    grad = dmse_dw(X, Y, 2.0)
    assert grad == pytest.approx(0.0), f"at w = 2 the line fits y = 2x exactly, so dL/dw = 0; got {grad}"


def test_returns_a_python_float():
    grad = dmse_dw(X, Y, 1.0)
    assert type(grad) is float, (
        f"dmse_dw should return a Python float, got {type(grad).__name__}: wrap numpy's result in float()"
    )
