"""Kata 04_updates/sgd_step: one SGD step on leaf tensors, in place, as torch.optim.SGD does it."""

from collections.abc import Iterable

import torch


def sgd_step_(params: Iterable[torch.Tensor], lr: float) -> None:
    """Move every parameter one step against its gradient, in place, and clear the gradient.

    params is any iterable of leaf tensors that require grad: a list, or a generator such as
    `model.parameters()` (a generator can be walked through only once). For each p in it:

    - if p.grad is None, leave p alone (it took no part in the loss);
    - otherwise p <- p - lr * p.grad, in place and not recorded by autograd (under
      torch.no_grad()), so p stays the same object, a leaf that requires grad;
    - then clear its gradient (p.grad = None, or p.grad.zero_()), so the next backward()
      does not add onto this one.

    Return None. Repeated with backward() in between, this follows the same trajectory as
    torch.optim.SGD(params, lr) with step() and zero_grad().
    """
    raise NotImplementedError("04_updates/sgd_step: your code goes here (see the docstring)")
