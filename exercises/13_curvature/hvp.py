"""Kata 13_curvature/hvp: a Hessian-vector product by double backward, without ever forming H."""

from collections.abc import Callable

import torch


def hvp(loss_fn: Callable[[torch.Tensor], torch.Tensor], params: torch.Tensor,
        v: torch.Tensor) -> torch.Tensor:
    """Return H·v, where H is the Hessian of the scalar loss_fn at params, shaped like params.

    loss_fn takes a tensor shaped like params and returns a 0-d tensor; v has the shape of params.
    H·v is the derivative of the gradient in the direction v, and autograd can take it without
    ever building H (a model with a million parameters has a Hessian of 10¹² numbers):

    1. take g, the gradient of loss_fn at params, with torch.autograd.grad and
       create_graph=True, so that g itself can be differentiated;
    2. differentiate g again, against v: the gradient of g·v is H·v (torch.autograd.grad
       takes v as grad_outputs).

    - Never form H, not even row by row: the grader gives you 200,000 parameters.
    - Do not use torch.autograd.functional or torch.func (they do it for you).
    - It must work whether or not params requires grad, and leave params as it was: its values,
      requires_grad flag and .grad. Differentiate a detached copy that requires grad.
    - A loss linear in params has H = 0: its gradient does not depend on params, so it does not
      require grad and cannot be differentiated again. Return zeros then.
    - Return a plain tensor with no autograd graph, in the dtype of params.
    """
    raise NotImplementedError("13_curvature/hvp: your code goes here (see the docstring)")
