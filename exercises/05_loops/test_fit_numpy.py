"""Public tests for 05_loops/fit_numpy. Run them with: pytest exercises/05_loops/test_fit_numpy.py"""

import numpy as np
import pytest
from fit_numpy import fit_numpy

X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
Y = 2 * X


def test_first_epoch_on_the_seed_data():
    w, losses = fit_numpy(X, Y, 0.01, 1)
    assert len(losses) == 1, f"one epoch should record one loss, got {len(losses)}: {losses}"
    assert losses[0] == pytest.approx(30.0), (
        f"with w = 0 the loss is mean((0 - 2x)^2) = 30.0, but losses[0] = {losses[0]}. "
        "Record the loss before updating w, and take the mean, not the sum."
    )
    assert w == pytest.approx(0.3, rel=1e-5), (
        f"the gradient at w = 0 is mean(2x(0 - 2x)) = -30, so one step of lr 0.01 gives "
        f"w = 0.3, but w = {w}. "
        + ("That is 4 times too far: divide by N (take the mean)." if w == pytest.approx(1.2)
           else "Negative? Step against the gradient: w = w - lr * grad." if w < 0 else "")
    )


def test_converges_to_two_with_python_floats():
    w, losses = fit_numpy(X, Y, 0.01, 300)
    assert type(w) is float, f"w should be a Python float, got {type(w).__name__}: use float(w)"
    assert type(losses) is list and all(type(v) is float for v in losses), (
        f"losses should be a list of Python floats, got {type(losses).__name__} of "
        f"{sorted({type(v).__name__ for v in losses})}: append float(loss)"
    )
    assert len(losses) == 300, f"300 epochs should record 300 losses, got {len(losses)}"
    assert w == pytest.approx(2.0, abs=1e-4), f"after 300 epochs w should be close to 2, got {w}"
    assert losses[-1] < losses[0], (
        f"the loss should shrink, but it went from {losses[0]} to {losses[-1]}"
    )
