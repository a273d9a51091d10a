"""Kata 03_gradients/sqrt_grad: the derivative of the square-root loss, by hand."""

import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    """Return d/dg (n - g**2)**2 at g = guess, elementwise, worked out by hand.

    The loss is kata 02_losses/sqrt_loss. Differentiate it with the chain rule: the outer
    square gives 2 * (n - g**2), the inside n - g**2 gives -2 * g. Their product is
    -4 * g * (n - g**2).

    - guess is a tensor of any shape, a 0-d tensor included; n is a Python float.
    - Return a tensor of the same shape and dtype as guess, one derivative per element.
    - By hand, with tensor arithmetic: no backward(), no torch.autograd.
    - No autograd graph on the result, even when guess requires grad.
    - Leave guess as it was.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        return -4 * guess * (n - guess**2)
    ### END SOLUTION
