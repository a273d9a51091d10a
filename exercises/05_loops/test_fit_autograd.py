"""Public tests for 05_loops/fit_autograd. Run: pytest exercises/05_loops/test_fit_autograd.py"""

import numpy as np
import pytest
import torch
from fit_autograd import fit_autograd

X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = 2 * X
FN = "fit_autograd"
DIVERGES = ("the loss grows instead of shrinking, so training diverges: check the sign of the update "
            "and that w.grad is zeroed in every epoch")


def run(x, y, lr, epochs, *, after=False, sign=1.0, accumulate=False, loss_scale=1.0, broadcast=False):
    """The loop by hand in float64; the keywords replay classic slips. Returns (w, losses)."""
    x, y = x.double().numpy(), y.double().numpy()
    if broadcast:  # ŷ of shape (N, 1) against y of shape (N,): every prediction against every target
        x, y = x[:, None], y[None, :]
    w, grad, losses = 0.0, 0.0, []
    for _ in range(epochs):
        loss = loss_scale * np.mean((w * x - y) ** 2)
        new_grad = loss_scale * np.mean(2 * x * (w * x - y))
        grad = grad + new_grad if accumulate else new_grad
        w = w - sign * lr * grad
        losses.append(float(loss_scale * np.mean((w * x - y) ** 2) if after else loss))
    return w, losses


def mistakes(n):
    """The classic slips, tried in this order: run() keywords, and what to say."""
    return [
        ({"accumulate": True},
         "the gradient accumulates from epoch to epoch: backward() adds into w.grad, so zero it in every "
         "epoch (w.grad.zero_() or w.grad = None)"),
        ({"after": True},
         "losses[i] is recorded after epoch i's update; record each loss before you update w"),
        ({"sign": -1.0},
         "the update goes uphill, so training diverges: the sign is flipped, step with w -= lr * w.grad"),
        ({"loss_scale": n},
         f"the loss is off by a factor of N = {n} (and so is its gradient): take the mean of the squared "
         "differences, not their sum"),
        ({"broadcast": True},
         f"ŷ has shape ({n}, 1) and broadcasts against y of shape ({n},), so the loss compares every "
         "prediction with every target: keep ŷ the shape of y"),
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
    w, losses = fit_autograd(X, Y, 0.01, 1)
    # with w = 0: loss = mean((0 - 2x)²) = 30, backward() gives w.grad = -30, so w = 0 - 0.01·(-30)
    assert len(losses) == 1 and float(losses[0]) == pytest.approx(30.0), (
        f"with w = 0 the loss is mean((0 - 2x)²) = 30.0, but losses = {losses}: record the loss before "
        "updating w, and take the mean, not the sum"
    )
    check_run((w, losses), X, Y, 0.01, 1)  # w = 0.3


def test_thirty_epochs_on_the_seed_data():
    check_run(fit_autograd(X, Y, 0.01, 30), X, Y, 0.01, 30)  # ends at w = 1.98474, as fit_numpy does


def test_float64_data_gives_float64_precision():
    x = torch.tensor([-3.0, -1.5, 0.5, 2.0, 2.5, 1.0], dtype=torch.float64)
    y = -0.7 * x + 0.5
    check_run(fit_autograd(x, y, 0.01, 40), x, y, 0.01, 40)
    # one epoch on x = [1], y = [1/3] at lr 0.5 lands exactly on 1/3, which float32 holds only to 3e-8
    one, third = torch.tensor([1.0], dtype=torch.float64), torch.tensor([1 / 3], dtype=torch.float64)
    w, _ = fit_autograd(one, third, 0.5, 1)
    if abs(float(w) - 1 / 3) > 1e-12:
        why = ("your loop keeps w in float32 although the data is float64: create w with dtype=X.dtype"
               if float(w) == float(torch.tensor(1 / 3, dtype=torch.float32)) else "the values are off")
        raise AssertionError(
            f"one epoch on float64 x = [1], y = [1/3] at lr 0.5 should give w = 1/3 to float64 "
            f"precision, got {float(w)!r}: {why}"
        )


def test_returns_python_floats():
    w, losses = fit_autograd(X, Y, 0.01, 5)
    assert type(w) is float, f"w should be a Python float, got {type(w).__name__}: return w.item()"
    assert type(losses) is list and all(type(v) is float for v in losses), (
        f"losses should be a list of Python floats, got a {type(losses).__name__} of "
        f"{sorted({type(v).__name__ for v in losses})}: append loss.item() (a tensor would also keep its "
        "whole graph alive)"
    )


def test_leaves_X_and_y_alone():
    x, y = X.clone(), Y.clone()
    fit_autograd(x, y, 0.01, 5)
    assert torch.equal(x, X) and torch.equal(y, Y), "fit_autograd changed the values of X or y"
    assert not x.requires_grad and not y.requires_grad and x.grad is None and y.grad is None, (
        "fit_autograd changed X or y (requires_grad or .grad): only w should require grad"
    )
