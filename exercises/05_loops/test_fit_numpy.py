"""Public tests for 05_loops/fit_numpy. Run them with: pytest exercises/05_loops/test_fit_numpy.py"""

import fit_numpy as kata
import numpy as np
import pytest
from fit_numpy import fit_numpy

X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
Y = 2 * X
FN = "fit_numpy"
DIVERGES = "the loss grows instead of shrinking, so training diverges: check the sign of the update"


def run(x, y, lr, epochs, *, after=False, sign=1.0, grad_scale=1.0, loss_scale=1.0):
    """The loop by hand in float64; the keywords replay classic slips. Returns (w, losses)."""
    x, y = x.astype(np.float64), y.astype(np.float64)
    w, losses = 0.0, []
    for _ in range(epochs):
        loss = loss_scale * np.mean((w * x - y) ** 2)
        w = w - sign * lr * grad_scale * np.mean(2 * x * (w * x - y))
        losses.append(float(loss_scale * np.mean((w * x - y) ** 2) if after else loss))
    return w, losses


def mistakes(n):
    """The classic slips, tried in this order: run() keywords, and what to say."""
    return [
        ({"after": True},
         "losses[i] is recorded after epoch i's update; record each loss before you update w"),
        ({"sign": -1.0},
         "the update goes uphill, so training diverges: the sign is flipped, step with w ← w − lr·grad"),
        ({"grad_scale": 0.5},
         "the gradient is half what it should be: the factor 2 from differentiating the square is missing"),
        ({"grad_scale": n},
         f"the gradient is off by a factor of N = {n}: average 2x(ŷ − y) over the samples (the mean), "
         "do not sum it"),
        ({"grad_scale": n, "loss_scale": n},
         f"the loss and its gradient are off by a factor of N = {n}: take the mean over the samples, "
         "not the sum"),
    ]


def shown(values):
    """Data as a short list for a message (float32 shows 0.1 as 0.10000000149011612)."""
    return [round(float(v), 6) for v in values]


def same(a, b):
    """Two runs (w, losses) agree."""
    return np.allclose(a[0], b[0], rtol=1e-4, atol=1e-6) and np.allclose(a[1], b[1], rtol=1e-4, atol=1e-6)


def check_run(result, x, y, lr, epochs):
    """result is (w, losses) of the loop on (x, y); say which classic slip it looks like."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"{FN} should return a tuple (w, losses), got {result!r}"
    )
    w, losses = float(result[0]), [float(v) for v in result[1]]
    assert len(losses) == epochs, (
        f"{epochs} epochs should record {epochs} losses, one per epoch; got {len(losses)}"
    )
    want = run(x, y, lr, epochs)
    if same((w, losses), want):
        return
    why = next((label for keywords, label in mistakes(len(x))
                if same((w, losses), run(x, y, lr, epochs, **keywords))), None)
    if why is None:
        diverging = not np.isfinite(losses).all() or losses[-1] > losses[0]
        why = DIVERGES if diverging else "the values are off"
    raise AssertionError(
        f"{FN}(X, y, lr={lr}, epochs={epochs}) with X = {shown(x)}, y = {shown(y)}: expected "
        f"w = {want[0]:.6g} and losses starting {[round(v, 6) for v in want[1][:3]]}, got "
        f"w = {w:.6g} and losses starting {[round(v, 6) for v in losses[:3]]}. {why}"
    )


def test_first_epoch_on_the_seed_data():
    w, losses = fit_numpy(X, Y, 0.01, 1)
    # with w = 0: loss = mean((0 - 2x)²) = 30, gradient = mean(2x(0 - 2x)) = -30, so w = 0 - 0.01·(-30)
    assert len(losses) == 1 and float(losses[0]) == pytest.approx(30.0), (
        f"with w = 0 the loss is mean((0 - 2x)²) = 30.0, but losses = {losses}: record the loss before "
        "updating w, and take the mean, not the sum"
    )
    check_run((w, losses), X, Y, 0.01, 1)  # w = 0.3


def test_thirty_epochs_on_the_seed_data():
    check_run(fit_numpy(X, Y, 0.01, 30), X, Y, 0.01, 30)  # ends at w = 1.98474


def test_other_data_in_float64():
    x = np.array([-3.0, -1.5, 0.5, 2.0, 2.5, 1.0])
    y = -0.7 * x + 0.5
    check_run(fit_numpy(x, y, 0.01, 40), x, y, 0.01, 40)
    # one epoch on x = [1], y = [1/3] at lr 0.5 lands exactly on 1/3, which float32 holds only to 3e-8
    w, _ = fit_numpy(np.array([1.0]), np.array([1 / 3]), 0.5, 1)
    if abs(float(w) - 1 / 3) > 1e-12:
        why = ("your loop keeps w in float32 although the data is float64: start from w = 0.0 (a Python "
               "float is float64)" if float(w) == float(np.float32(1 / 3)) else "the values are off")
        raise AssertionError(
            f"one epoch on float64 x = [1], y = [1/3] at lr 0.5 should give w = 1/3 to float64 "
            f"precision, got {float(w)!r}: {why}"
        )


def test_converges_with_python_floats_and_numpy_only():
    w, losses = fit_numpy(X, Y, 0.01, 300)
    assert type(w) is float, f"w should be a Python float, got {type(w).__name__}: return float(w)"
    assert type(losses) is list and all(type(v) is float for v in losses), (
        f"losses should be a list of Python floats, got a {type(losses).__name__} of "
        f"{sorted({type(v).__name__ for v in losses})}: append float(loss)"
    )
    assert w == pytest.approx(2.0, abs=1e-4) and losses[-1] < 1e-6, (
        f"after 300 epochs w should be close to 2 and the loss close to 0; got w = {w}, last loss "
        f"{losses[-1]}"
    )
    used = sorted(name for name, value in vars(kata).items()
                  if str(getattr(value, "__module__", None) or getattr(value, "__name__", "")).startswith(
                      "torch"))
    assert not used, f"fit_numpy should use numpy only; it uses {used} from torch"


def test_leaves_X_and_y_alone():
    x, y = X.copy(), Y.copy()
    fit_numpy(x, y, 0.01, 5)
    assert np.array_equal(x, X) and np.array_equal(y, Y), (
        "fit_numpy changed X or y: compute predictions into new arrays (w * X), never in place (*=, -=)"
    )
