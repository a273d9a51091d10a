"""Kata 04_updates/momentum: one step of SGD with momentum (the heavy ball), in place."""

import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    """Take one heavy-ball step: each parameter keeps a velocity that remembers past gradients.

    params is a list of leaf tensors that require grad, each with a .grad; velocities is a list
    of tensors of the same shapes and dtypes (the caller starts them as zeros and passes the
    same list back at every step). For each pair (p, v), with mu = momentum:

        v <- mu * v + p.grad
        p <- p - lr * v

    Update both in place, so the caller sees the new values in their lists: p under
    torch.no_grad() (it stays the same leaf that requires grad), v without an autograd graph.
    Then clear p's gradient (None or zeros). Return None.

    Repeated with backward() in between, this follows the same trajectory as
    torch.optim.SGD(params, lr, momentum=mu) with step() and zero_grad().
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            v.mul_(momentum).add_(p.grad)
            p.sub_(lr * v)
            p.grad = None
    ### END SOLUTION
