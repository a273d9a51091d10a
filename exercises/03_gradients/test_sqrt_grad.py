"""Public tests for 03_gradients/sqrt_grad. Run them with: pytest exercises/03_gradients/test_sqrt_grad.py"""

import pytest
import torch
from sqrt_grad import sqrt_loss_grad


def rounded(t):
    """A tensor's values as a list, rounded for reading (float32 shows 0.65 as 0.6499999761581421)."""
    return torch.round(t.detach().double(), decimals=6).tolist()


def check_gradient(grad, guess, n, text):
    """grad is −4g(n − g²) elementwise, shaped and typed like guess, no graph; name the classic slips."""
    assert isinstance(grad, torch.Tensor) and grad.shape == guess.shape, (
        f"{text}: one derivative per element, the shape of guess {tuple(guess.shape)}; got {grad!r}"
    )
    assert grad.dtype == guess.dtype, (
        f"{text}: a {guess.dtype} guess should give {guess.dtype}, got {grad.dtype}"
    )
    assert not grad.requires_grad and grad.grad_fn is None, (
        f"{text}: the result carries an autograd graph: compute under torch.no_grad() (or on guess.detach())"
    )
    g = guess.detach().double()
    right = -4 * g * (n - g**2)
    if torch.allclose(grad.double(), right, rtol=1e-5):
        return
    why = "the values are off"
    for wrong, label in [
        (-right, "the sign is flipped: d(n − g²)/dg = −2g, so the derivative is −4g(n − g²)"),
        (right / 2, "half the expected value: a factor 2 is missing (the chain rule brings down two: "
                    "2·(n − g²) from the outer square, −2g from the inside)"),
        (right / g.numel(), f"{g.numel()} times too small (N = {g.numel()}): is there an extra division "
                            "by N? The loss is elementwise, not a mean"),
        (2 * (n - g**2), "that is 2·(n − g²): the outer derivative alone; the chain rule multiplies it by "
                         "the inner one, d(n − g²)/dg = −2g"),
        ((n - g**2) ** 2, "that is the loss (n − g²)² itself, not its derivative"),
    ]:
        if torch.allclose(grad.double(), wrong, rtol=1e-5):
            why = label
            break
    raise AssertionError(f"{text}: expected −4g(n − g²) = {rounded(right)}, got {rounded(grad)}. {why}")


def test_the_notebooks_starting_point():
    guess = torch.tensor(4.0)
    with torch.no_grad():  # by hand: no autograd needed, so it works under no_grad too
        grad = sqrt_loss_grad(guess, 5.0)
    check_gradient(grad, guess, 5.0, "guess = 4, n = 5: -4 * 4 * (5 - 16) = 176")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_elementwise_and_zero_at_the_roots(dtype):
    guess = torch.tensor([[-2.0, 0.0], [1.0, 2.0]], dtype=dtype)
    grad = sqrt_loss_grad(guess, 4.0)
    check_gradient(grad, guess, 4.0, "guess = [[-2, 0], [1, 2]], n = 4 (zero at both roots and at 0)")
    assert grad.tolist() == [[0.0, 0.0], [-12.0, 0.0]], f"expected [[0, 0], [-12, 0]], got {rounded(grad)}"


def test_agrees_with_autograd_and_leaves_guess_alone():
    plain = torch.tensor([1.0, -3.0])
    sqrt_loss_grad(plain, 2.0)
    assert not plain.requires_grad and plain.grad is None and plain.tolist() == [1.0, -3.0], (
        f"sqrt_loss_grad changed guess (requires_grad is now {plain.requires_grad}): work it out by hand "
        "with tensor arithmetic, without autograd on the caller's tensor"
    )
    guess = torch.tensor([0.5, 1.5, 3.0], dtype=torch.float64, requires_grad=True)
    grad = sqrt_loss_grad(guess, 2.0)
    check_gradient(grad, guess, 2.0, "guess = [0.5, 1.5, 3.0] requiring grad, n = 2")
    assert guess.grad is None, f"sqrt_loss_grad left guess.grad changed ({guess.grad}): no backward()"
    ((2.0 - guess**2) ** 2).sum().backward()
    assert torch.allclose(grad, guess.grad), (
        f"autograd says {guess.grad.tolist()}; you returned {rounded(grad)}"
    )
