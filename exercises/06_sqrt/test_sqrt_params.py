"""Public tests for 06_sqrt/sqrt_params. Run them with: pytest exercises/06_sqrt/test_sqrt_params.py"""

import pytest
from sqrt_params import sqrt_shift, sqrt_shift_scale


def test_shift_reaches_the_root():
    result = sqrt_shift(5.0, 4.0, 0.01, 30)
    assert isinstance(result, float), f"return a Python float (tensor.item()), got {type(result).__name__}"
    assert result == pytest.approx(2.23606, abs=1e-4), (
        f"sqrt_shift(n=5, input_val=4, lr=0.01, steps=30) should be about 2.23606, got {result}"
    )


def test_one_step_each():
    shifted = sqrt_shift(5.0, 4.0, 0.001, 1)
    assert shifted == pytest.approx(4.6, abs=1e-5), (
        f"sqrt_shift(n=5, input_val=4, lr=0.001, steps=1) should be 4.6, got {shifted}: the guess starts "
        "at 4 + 1 = 5, the gradient is −4·5·(5 − 25) = 400, so shift goes 1 → 1 − 0.001·400 = 0.6"
    )
    both = sqrt_shift_scale(5.0, 4.0, 0.001, 1)
    assert both == pytest.approx(-1.8, abs=1e-5), (
        f"sqrt_shift_scale(n=5, input_val=4, lr=0.001, steps=1) should be -1.8, got {both}: with the "
        "same gradient 400, scale goes 1 → 1 − 0.001·400·4 = -0.6 and shift 1 → 0.6, so the guess "
        "is 4·(-0.6) + 0.6"
    )


@pytest.mark.parametrize("lr, expected", [(0.0005, 2.236), (0.001, -2.236)])
def test_two_minima(lr, expected):
    result = sqrt_shift_scale(5.0, 4.0, lr, 100)
    assert result == pytest.approx(expected, abs=5e-4), (
        f"sqrt_shift_scale(n=5, input_val=4, lr={lr}, steps=100) should settle near {expected}, "
        f"got {result}. The loss has two minima, +√5 and -√5; which one you reach depends on lr."
    )
