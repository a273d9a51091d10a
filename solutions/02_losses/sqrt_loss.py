"""Kata 02_losses/sqrt_loss: a loss whose minimum is a square root."""

import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    """Return (n - guess**2)**2, elementwise: how far guess is from being a square root of n.

    The loss is 0 exactly where guess * guess == n, and positive everywhere else, so gradient
    descent on it walks the guess towards sqrt(n) (or towards -sqrt(n): both are minima).

    - guess is a tensor of any shape, a 0-d tensor included; n is a Python float.
    - Return a tensor of the same shape and dtype as guess, one loss per element: do not sum
      or average.
    - Keep it differentiable with respect to guess (the katas of 06_sqrt backpropagate
      through it): no .item(), .detach() or torch.no_grad() on the way.
    - Leave guess as it was (no in-place operations on it).
    """
    ### BEGIN SOLUTION
    return (n - guess**2) ** 2
    ### END SOLUTION
