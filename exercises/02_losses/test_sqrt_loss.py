"""Public tests for 02_losses/sqrt_loss. Run them with: pytest exercises/02_losses/test_sqrt_loss.py"""

import pytest
import torch
from sqrt_loss import sqrt_loss


def named_mistake(loss, guess, n):
    """Which classic slip gives this value, if any."""
    g = guess.detach().double()
    for wrong, why in [
        ((n - g) ** 2, "that is (n − guess)²: square the guess before comparing it with n"),
        (n - g**2, "that is n − guess² without the outer square: square the difference"),
        (g**2 - n, "that is guess² − n without the outer square: square the difference"),
        ((n - g**2).abs(), "the outer square is missing: |n − guess²| is not (n − guess²)²"),
    ]:
        if loss.shape == wrong.shape and torch.allclose(loss.double(), wrong):
            return why
    return "the values are off"


def test_the_notebooks_starting_point():
    loss = sqrt_loss(torch.tensor(4.0), 5.0)
    assert isinstance(loss, torch.Tensor) and loss.shape == (), (
        f"a 0-d guess should give a 0-d loss, got {loss!r}"
    )
    assert loss.item() == 121.0, (
        f"sqrt_loss(4.0, n=5.0) should be (5 - 4**2)**2 = (-11)**2 = 121, got {loss.item()}: "
        + named_mistake(loss, torch.tensor(4.0), 5.0)
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_one_loss_per_element(dtype):
    guess = torch.tensor([[1.0, 2.0, -3.0], [0.0, -2.0, 0.5]], dtype=dtype)
    loss = sqrt_loss(guess, 4.0)
    expected = torch.tensor([[9.0, 0.0, 25.0], [16.0, 0.0, 14.0625]], dtype=dtype)
    assert isinstance(loss, torch.Tensor) and loss.shape == guess.shape, (
        f"sqrt_loss should return one loss per element, the shape of guess {tuple(guess.shape)}; got "
        f"{loss!r}: did you reduce (sum or mean)? Leave that to whoever uses the losses"
    )
    assert loss.dtype == dtype, f"a {dtype} guess should give a {dtype} loss, got {loss.dtype}"
    assert guess.tolist() == [[1.0, 2.0, -3.0], [0.0, -2.0, 0.5]], (
        f"sqrt_loss changed guess to {guess.tolist()}: compute a new tensor, no in-place operations on guess"
    )
    assert torch.allclose(loss, expected), (
        f"sqrt_loss({guess.tolist()}, n=4) should be {expected.tolist()} (2 and -2 are both roots), "
        f"got {loss.tolist()}: " + named_mistake(loss, guess, 4.0)
    )


def test_differentiable():
    guess = torch.tensor([4.0, -1.0], requires_grad=True)
    loss = sqrt_loss(guess, 5.0)
    assert loss.requires_grad and loss.grad_fn is not None, (
        "sqrt_loss is not differentiable: the loss has no autograd graph (no .item(), .detach() or "
        "torch.no_grad() on the way)"
    )
    loss.sum().backward()
    assert guess.grad.tolist() == [176.0, 16.0], (
        f"d/dg (5 - g**2)**2 = -4g(5 - g**2) is 176 at g = 4 and 16 at g = -1; autograd found "
        f"{guess.grad.tolist()}"
    )
    assert guess.tolist() == [4.0, -1.0], f"sqrt_loss changed guess to {guess.tolist()}: leave it alone"
