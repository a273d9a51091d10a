"""Public tests for 02_losses/mse. Run them with: pytest exercises/02_losses/test_mse.py"""

import pytest
import torch
from mse import mse


def test_mean_of_squared_differences():
    y_pred = torch.tensor([1.0, 2.0, 3.0, 4.0])
    y = torch.tensor([1.0, 1.0, 1.0, 1.0])
    loss = mse(y_pred, y)
    expected = (0 + 1 + 4 + 9) / 4
    assert loss.shape == (), (
        f"mse should return a single number (a 0-d tensor), got shape {tuple(loss.shape)}"
    )
    assert loss.item() == pytest.approx(expected), (
        f"mse([1, 2, 3, 4], [1, 1, 1, 1]) should be {expected}, got {loss.item()}. "
        + ("Off by a factor of N = 4: take the mean, not the sum."
           if loss.item() == pytest.approx(14.0) else "")
    )


def test_differentiable_with_respect_to_y_pred():
    y_pred = torch.tensor([2.0, 0.0], requires_grad=True)
    mse(y_pred, torch.tensor([0.0, 0.0])).backward()
    assert y_pred.grad is not None, "no gradient reached y_pred: avoid .item(), .detach() and torch.no_grad()"
    assert torch.allclose(y_pred.grad, torch.tensor([2.0, 0.0])), (
        f"d mse / d y_pred should be 2 (y_pred - y) / N = [2, 0], got {y_pred.grad.tolist()}"
    )


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        mse(torch.zeros(3, 1), torch.zeros(3))
