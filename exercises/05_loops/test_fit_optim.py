"""Public tests for 05_loops/fit_optim. Run them with: pytest exercises/05_loops/test_fit_optim.py"""

import pytest
import torch
from fit_optim import fit_optim

X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = 2 * X


def test_same_trajectory_as_the_hand_written_loop():
    w, losses = fit_optim(X, Y, 0.01, 3)
    # by hand: w goes 0 -> 0.3 -> 0.555 -> 0.77175; the loss is 7.5 (2 - w)^2
    expected = [7.5 * (2 - v) ** 2 for v in (0.0, 0.3, 0.555)]
    assert losses == pytest.approx(expected, rel=1e-5), (
        f"the losses of 3 epochs should be {expected}, got {losses}. "
        + ("The first loss is wrong: record it before step(), with nn.MSELoss()'s mean."
           if losses and losses[0] != pytest.approx(30.0) else
           "The first is right: is optimizer.zero_grad() called in every epoch, before backward()?")
    )
    assert w == pytest.approx(0.77175, rel=1e-5), f"after 3 epochs w should be 0.77175, got {w}"


def test_converges_to_two_with_python_floats():
    w, losses = fit_optim(X, Y, 0.01, 300)
    assert type(w) is float, f"w should be a Python float, got {type(w).__name__}: use w.item()"
    assert all(type(v) is float for v in losses), (
        f"losses should hold Python floats, got {sorted({type(v).__name__ for v in losses})}: "
        "append loss.item()"
    )
    assert w == pytest.approx(2.0, abs=1e-4), f"after 300 epochs w should be close to 2, got {w}"
