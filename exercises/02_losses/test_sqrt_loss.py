"""Public tests for 02_losses/sqrt_loss. Run them with: pytest exercises/02_losses/test_sqrt_loss.py"""

import torch
from sqrt_loss import sqrt_loss


def test_the_notebooks_starting_point():
    loss = sqrt_loss(torch.tensor(4.0), 5.0)
    assert loss.shape == (), f"a 0-d guess should give a 0-d loss, got shape {tuple(loss.shape)}"
    assert loss.item() == 121.0, (
        f"sqrt_loss(4.0, n=5.0) should be (5 - 4**2)**2 = (-11)**2 = 121, got {loss.item()}"
    )


def test_one_loss_per_element():
    guess = torch.tensor([1.0, 2.0, -3.0])
    loss = sqrt_loss(guess, 4.0)
    expected = torch.tensor([9.0, 0.0, 25.0])
    assert loss.shape == guess.shape, (
        f"sqrt_loss should keep the shape of guess {tuple(guess.shape)}, got {tuple(loss.shape)}: "
        "no sum or mean"
    )
    assert torch.allclose(loss, expected), (
        f"sqrt_loss([1, 2, -3], n=4) should be [9, 0, 25] (note that -2 and 2 are both roots), "
        f"got {loss.tolist()}"
    )


def test_differentiable():
    guess = torch.tensor(4.0, requires_grad=True)
    loss = sqrt_loss(guess, 5.0)
    assert loss.requires_grad, "the loss has no autograd graph: avoid .item(), .detach(), no_grad()"
    loss.backward()
    assert guess.grad.item() == 176.0, (
        f"d/dg (5 - g**2)**2 at g = 4 is -4 * 4 * (5 - 16) = 176, autograd found {guess.grad.item()}"
    )
