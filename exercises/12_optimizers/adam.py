"""Kata 12_optimizers/adam: the Adam optimizer from its update rule, used like torch.optim.Adam."""

from collections.abc import Iterable

import torch


class Adam:
    """Adam (Kingma & Ba, Algorithm 1): each parameter steps by a running mean of its gradients,
    divided by the root of a running mean of their squares.

    Use it as you would torch.optim.Adam: `opt = Adam(model.parameters(), lr=0.01)`, then per
    batch `opt.zero_grad()`, `loss.backward()`, `opt.step()`.

    __init__(params, lr, betas, eps):
    - params is any iterable of leaf tensors (a list, or a generator such as model.parameters(),
      which can be walked through only once: keep a list of it).
    - Raise ValueError when params is empty, lr < 0, eps < 0, or a beta is outside [0, 1).
    - Each parameter gets its own state: m and v, zeros of its shape and dtype, and its own step
      count t, starting at 0.

    step(): for each parameter p whose p.grad is not None (skip the others, and leave their t
    alone), with g = p.grad and beta1, beta2 = betas:

        t <- t + 1
        m <- beta1 * m + (1 - beta1) * g           (a running mean of g)
        v <- beta2 * v + (1 - beta2) * g * g       (a running mean of g squared)
        m_hat = m / (1 - beta1 ** t)               (both start at zero: this undoes that bias)
        v_hat = v / (1 - beta2 ** t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)  (eps outside the square root)

    Update p in place and unrecorded by autograd (under torch.no_grad()), so it stays the same
    leaf tensor that requires grad, in its own dtype, and leave p.grad as it is. Return None.

    zero_grad(): set every parameter's .grad to None. Not to zeros: Adam still moves a parameter
    whose gradient is zero (its m is not), but skips one that has no gradient at all.

    Write it without torch.optim.Adam or AdamW (subclassing torch.optim.Optimizer is fine). It
    follows the same trajectory as torch.optim.Adam(params, lr, betas, eps).
    """

    def __init__(self, params: Iterable[torch.Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        raise NotImplementedError("12_optimizers/adam: your code goes here (see the docstring)")

    def step(self) -> None:
        raise NotImplementedError("12_optimizers/adam: your code goes here (see the docstring)")

    def zero_grad(self) -> None:
        raise NotImplementedError("12_optimizers/adam: your code goes here (see the docstring)")
