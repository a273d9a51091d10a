"""Kata 03_gradients/autograd_grad: a gradient by autograd that leaves the caller's tensor alone."""

from collections.abc import Callable

import torch


def autograd_grad(loss_fn: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor) -> torch.Tensor:
    """Return the gradient of the scalar loss_fn at params, computed by autograd.

    loss_fn takes a tensor shaped like params and returns a 0-d tensor. The gradient has the
    shape and dtype of params.

    - It must work whether or not params requires grad.
    - Do not modify params: its values, its requires_grad flag and its .grad (which may already
      hold something) must be as they were. So do not call backward on params itself: make a
      detached copy that requires grad, and differentiate with respect to the copy.
    - Return a plain tensor with no autograd graph.
    """
    ### BEGIN SOLUTION
    leaf = params.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(loss_fn(leaf), leaf)
    return grad.detach()
    ### END SOLUTION
