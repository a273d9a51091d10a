"""Public tests for 10_classification/logistic_fit.

Run them with: pytest exercises/10_classification/test_logistic_fit.py
"""

import math

import pytest
import torch
from logistic_fit import fit_logistic

HOURS = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50, 2.75, 3.00, 3.25, 3.50, 4.00,
         4.25, 4.50, 4.75, 5.00, 5.50]
PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]


def hours(dtype):
    return torch.tensor(HOURS, dtype=dtype)[:, None], torch.tensor(PASSED, dtype=dtype)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_first_epoch(dtype):
    X, y = hours(dtype)
    w, b, losses = fit_logistic(X, y, 0.5, 1)
    assert len(losses) == 1 and abs(losses[0] - math.log(2)) < 1e-6, (
        f"losses[0] is the loss at w = 0, b = 0, before any update: every z is 0 and costs ln 2 = "
        f"{math.log(2):.6f}; got {losses}"
        + (" (losses[i] is recorded after epoch i's update: record it before you step)"
           if losses and abs(losses[0] - 0.641041) < 1e-5 else "")
    )
    hints = {0.253125 / 4: "the gradient has a p(1 − p) factor: that is the squared error's gradient",
             0.253125 / 2: "the gradient has a 2·p(1 − p) factor: that is the squared error's gradient",
             0.253125 * 20: "the gradients are off by a factor of N = 20: take the mean, not the sum",
             -0.253125: "the update climbs: w ← w − lr·dL/dw"}
    hint = next((f" ({text})" for value, text in hints.items() if abs(w.item() - value) < 1e-5), "")
    assert abs(w.item() - 0.253125) < 1e-6, (
        f"one epoch at lr 0.5 gives w = 0 − 0.5·mean(x(½ − y)) = 0.253125, got {w.item()}{hint}"
    )
    assert abs(b.item()) < 1e-6, (
        f"one epoch gives b = 0 (10 passed, 10 failed: mean(½ − y) = 0), got {b.item()}: is b's "
        "gradient computed after w moved (a stale/new mix)? Take both from the same old (w, b)"
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reaches_the_published_fit(dtype):
    X, y = hours(dtype)
    w, b, losses = fit_logistic(X, y, 0.5, 2000)
    assert abs(b.item() - -4.0777) < 1e-3 and abs(w.item() - 1.5046) < 1e-3, (
        f"2000 epochs at lr 0.5 reach the maximum-likelihood fit b = −4.0777, w = 1.5046; got "
        f"b = {b.item():.5f}, w = {w.item():.5f}"
    )
    assert abs(losses[-1] - 0.401494) < 1e-5, f"losses[-1] should be 0.401494, got {losses[-1]}"
    rises = [i for i in range(1, len(losses)) if losses[i] > losses[i - 1] + 1e-6]
    assert not rises, f"the loss should fall at every epoch on this data; it rose at epoch {rises[:3]}"


def test_types_and_dtype():
    X = torch.tensor([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.0], [2.0, 1.0]], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=torch.float64)
    result = fit_logistic(X, y, 0.3, 3)
    assert isinstance(result, tuple) and len(result) == 3, "return a tuple (w, b, losses)"
    w, b, losses = result
    assert isinstance(w, torch.Tensor) and w.shape == (2,) and w.dtype == torch.float64, (
        f"w is a float64 tensor of shape (D,) = (2,) for float64 X (work in the dtype of the inputs), "
        f"got {w!r}"
    )
    assert isinstance(b, torch.Tensor) and b.shape == () and b.dtype == torch.float64, (
        f"b is a 0-d float64 tensor for float64 X, got {b!r}"
    )
    assert not w.requires_grad and not b.requires_grad, (
        "w or b still carries an autograd graph (it requires grad): return w.detach() and b.detach()"
    )
    assert type(losses) is list and len(losses) == 3, f"losses is a list, one per epoch, got {losses!r}"
    for i, v in enumerate(losses):
        assert type(v) is float, f"losses[{i}] = {v!r} is not a Python float: use .item()"
    # the same loop by hand: both gradients from the same (w, b), the loss before the update
    w_ref, b_ref = torch.zeros(2, dtype=torch.float64), torch.tensor(0.0, dtype=torch.float64)
    for epoch in range(3):
        z = X @ w_ref + b_ref
        loss = (torch.log1p(torch.exp(-z.abs())) + z.clamp(min=0) - y * z).mean()
        assert abs(losses[epoch] - loss.item()) < 1e-9, f"losses[{epoch}] should be {loss.item()}"
        r = torch.sigmoid(z) - y
        w_ref, b_ref = w_ref - 0.3 * X.T @ r / 4, b_ref - 0.3 * r.mean()
    assert torch.allclose(w, w_ref) and torch.allclose(b, b_ref), (
        f"after 3 epochs expected w = {w_ref.tolist()}, b = {b_ref.item()}; got {w.tolist()}, {b.item()}"
    )


def test_inputs_unchanged():
    X, y = hours(torch.float32)
    fit_logistic(X, y, 0.5, 3)
    assert torch.equal(X, hours(torch.float32)[0]) and torch.equal(y, hours(torch.float32)[1]), (
        "fit_logistic changed X or y: leave the caller's data alone"
    )
