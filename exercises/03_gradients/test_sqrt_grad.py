"""Public tests for 03_gradients/sqrt_grad. Run them with: pytest exercises/03_gradients/test_sqrt_grad.py"""

import torch
from sqrt_grad import sqrt_loss_grad


def test_the_notebooks_starting_point():
    grad = sqrt_loss_grad(torch.tensor(4.0), 5.0)
    hint = {88.0: " Half the answer: a factor 2 is missing (the chain rule gives two of them).",
            -176.0: " The sign is flipped: d(n - g**2)/dg = -2g."}.get(grad.item(), "")
    assert grad.item() == 176.0, (
        f"at guess = 4, n = 5: -4 * 4 * (5 - 16) = 176, got {grad.item()}.{hint}"
    )


def test_elementwise_and_zero_at_the_roots():
    guess = torch.tensor([-2.0, 0.0, 1.0, 2.0])
    grad = sqrt_loss_grad(guess, 4.0)
    expected = torch.tensor([0.0, 0.0, -12.0, 0.0])  # at g = 1: -4 * 1 * (4 - 1) = -12
    assert grad.shape == guess.shape, (
        f"one derivative per element: expected shape {tuple(guess.shape)}, got {tuple(grad.shape)}"
    )
    assert torch.allclose(grad, expected), (
        f"for guess = [-2, 0, 1, 2] and n = 4 the derivative is {expected.tolist()} "
        f"(zero at both roots and at 0), got {grad.tolist()}"
    )


def test_agrees_with_autograd_and_keeps_no_graph():
    guess = torch.tensor([0.5, 1.5, 3.0], dtype=torch.float64, requires_grad=True)
    grad = sqrt_loss_grad(guess, 2.0)
    assert grad.grad_fn is None and not grad.requires_grad, (
        "the result carries an autograd graph: compute under torch.no_grad() (or detach)"
    )
    ((2.0 - guess**2) ** 2).sum().backward()
    assert torch.allclose(grad, guess.grad), (
        f"autograd says {guess.grad.tolist()} for guess = [0.5, 1.5, 3.0], n = 2; "
        f"you returned {grad.tolist()}"
    )
