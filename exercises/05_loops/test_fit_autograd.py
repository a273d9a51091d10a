"""Public tests for 05_loops/fit_autograd. Run: pytest exercises/05_loops/test_fit_autograd.py"""

import pytest
import torch
from fit_autograd import fit_autograd

X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = 2 * X


def test_first_epoch_on_the_seed_data():
    w, losses = fit_autograd(X, Y, 0.01, 1)
    assert len(losses) == 1, f"one epoch should record one loss, got {len(losses)}: {losses}"
    assert losses[0] == pytest.approx(30.0), (
        f"with w = 0 the loss is mean((0 - 2x)^2) = 30.0, but losses[0] = {losses[0]}. "
        "Record the loss before updating w, and take the mean, not the sum."
    )
    assert w == pytest.approx(0.3, rel=1e-5), (
        f"backward() at w = 0 gives w.grad = -30, so one step of lr 0.01 gives w = 0.3, "
        f"but w = {w}"
    )


def test_later_epochs_match_the_hand_written_loop():
    w, losses = fit_autograd(X, Y, 0.01, 3)
    # by hand: w goes 0 -> 0.3 -> 0.555 -> 0.77175; the loss is 7.5 (2 - w)^2
    expected = [7.5 * (2 - v) ** 2 for v in (0.0, 0.3, 0.555)]
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"the losses of 3 epochs should be {expected}, got {losses}. If the first is right but "
        "the next ones are not, is w.grad zeroed in every epoch? backward() accumulates."
    )
    assert w == pytest.approx(0.77175, rel=1e-5), f"after 3 epochs w should be 0.77175, got {w}"


def test_returns_python_floats():
    w, losses = fit_autograd(X, Y, 0.01, 5)
    assert type(w) is float, f"w should be a Python float, got {type(w).__name__}: use w.item()"
    assert all(type(v) is float for v in losses), (
        f"losses should hold Python floats, got {sorted({type(v).__name__ for v in losses})}: "
        "append loss.item()"
    )
