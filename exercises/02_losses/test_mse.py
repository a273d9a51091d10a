"""Public tests for 02_losses/mse. Run them with: pytest exercises/02_losses/test_mse.py"""

import mse as kata
import pytest
import torch
from mse import mse


def named_mistake(got, y_pred, y):
    """Which classic slip gives this value, if any."""
    d = (y_pred - y).double()
    n = d.numel()
    for wrong, why in [
        ((d**2).sum(), f"Off by a factor of N = {n}: take the mean, not the sum."),
        (d.mean() ** 2, "You took the mean of the differences, not of their squares."),
        (d.abs().mean(), "You took the mean of absolute differences (that is the L1 loss)."),
        ((d**2).mean().sqrt(), "The square root is one step too many: that is the RMSE."),
    ]:
        if got == pytest.approx(wrong.item(), rel=1e-5):
            return why
    return "The values are off."


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mean_of_squared_differences(dtype):
    y_pred = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=dtype)
    y = torch.tensor([1.0, 1.0, 1.0, 1.0], dtype=dtype)
    loss = mse(y_pred, y)
    assert isinstance(loss, torch.Tensor) and loss.shape == (), (
        f"mse should return a single number as a 0-d tensor, got {loss!r}"
    )
    assert loss.dtype == dtype, f"{dtype} inputs should give a {dtype} loss, got {loss.dtype}"
    expected = (0 + 1 + 4 + 9) / 4
    assert loss.item() == pytest.approx(expected), (
        f"mse([1, 2, 3, 4], [1, 1, 1, 1]) should be (0 + 1 + 4 + 9) / 4 = {expected}, got {loss.item()}. "
        + ("Off by a factor of N = 4: take the mean, not the sum." if loss.item() == pytest.approx(14.0)
           else named_mistake(loss.item(), y_pred, y))
    )
    y_pred = torch.tensor([[-1e4, 2.5], [2e4, 0.0], [-3.5e3, -7.0]], dtype=dtype)  # large, negative, 2-D
    y = torch.tensor([[1e4, -0.5], [-2e4, 1.0], [0.0, -7.0]], dtype=dtype)
    loss = mse(y_pred, y)
    expected = ((y_pred.double() - y.double()) ** 2).mean().item()
    assert loss.shape == () and loss.item() == pytest.approx(expected, rel=1e-6), (
        f"mse({y_pred.tolist()}, {y.tolist()}) should be {expected}, got {loss.tolist()}. "
        + named_mistake(loss.item(), y_pred, y) + " The mean runs over every element."
    )


def test_differentiable_with_respect_to_y_pred():
    y_pred = torch.tensor([2.0, 0.0, -1.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64)
    loss = mse(y_pred, y)
    assert loss.requires_grad and loss.grad_fn is not None, (
        "mse is not differentiable: its result has no autograd graph (no .detach(), .item(), "
        "torch.tensor(...) of a number, or torch.no_grad() on the way)"
    )
    loss.backward()
    expected = [4 / 3, 0.0, -4 / 3]  # 2 (y_pred - y) / N
    assert y_pred.grad is not None and y_pred.grad.tolist() == pytest.approx(expected), (
        f"d mse / d y_pred should be 2 (y_pred - y) / N = {expected}, got {y_pred.grad}"
    )
    assert y.grad is None and y.tolist() == [0.0, 0.0, 1.0], "mse changed y: leave its inputs alone"


@pytest.mark.parametrize("shapes", [((3, 1), (3,)), ((3,), (3, 1)), ((3,), (4,))],
                         ids=["column-vs-vector", "vector-vs-column", "lengths"])
def test_shape_mismatch_raises(shapes):
    y_pred, y = torch.ones(shapes[0]), torch.zeros(shapes[1])
    try:
        result = mse(y_pred, y)
    except ValueError:
        return
    raise AssertionError(
        f"mse(y_pred of shape {shapes[0]}, y of shape {shapes[1]}) should raise ValueError "
        f"(compare y_pred.shape with y.shape first); it returned {result!r}. An (N, 1) column "
        "minus an (N,) vector broadcasts to an N x N matrix and a wrong loss"
    )


def test_written_by_hand(monkeypatch):
    calls = []
    real = torch.nn.functional.mse_loss

    def watched(*args, **kwargs):
        calls.append("torch.nn.functional.mse_loss")
        return real(*args, **kwargs)

    monkeypatch.setattr(torch.nn.functional, "mse_loss", watched)  # nn.MSELoss calls it too
    mse(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]))
    names = [name for name, value in vars(kata).items()
             if value is torch.nn or value is torch.nn.functional
             or str(getattr(value, "__module__", "")).startswith("torch.nn")]
    assert not calls and not names, (
        "write mse by hand, with tensor arithmetic: no torch.nn or torch.nn.functional "
        f"(found {calls or names})"
    )
