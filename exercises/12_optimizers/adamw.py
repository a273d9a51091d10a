"""Kata 12_optimizers/adamw: Adam with decoupled weight decay, used like torch.optim.AdamW."""

from collections.abc import Iterable

import torch


class AdamW:
    """AdamW (Loshchilov & Hutter): Adam, plus a weight decay that shrinks each parameter
    directly instead of going through the gradient.

    Use it as you would torch.optim.AdamW: `opt = AdamW(model.parameters(), lr=0.01)`, then per
    batch `opt.zero_grad()`, `loss.backward()`, `opt.step()`.

    __init__(params, lr, betas, eps, weight_decay):
    - params is any iterable of leaf tensors (a list, or a generator such as model.parameters(),
      which can be walked through only once: keep a list of it).
    - Raise ValueError when params is empty, lr < 0, eps < 0, a beta is outside [0, 1), or
      weight_decay < 0.
    - Each parameter gets its own state: m and v, zeros of its shape and dtype, and its own step
      count t, starting at 0.

    step(): for each parameter p whose p.grad is not None (skip the others: no decay, no update,
    t unchanged), with g = p.grad, beta1, beta2 = betas and lam = weight_decay:

        p <- p * (1 - lr * lam)                    (the decay, from p as it was before this step)
        t <- t + 1
        m <- beta1 * m + (1 - beta1) * g           (g is the loss's gradient: lam never enters
        v <- beta2 * v + (1 - beta2) * g * g        m or v)
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)  (eps outside the square root)

    Update p in place and unrecorded by autograd (under torch.no_grad()), so it stays the same
    leaf tensor that requires grad, in its own dtype, and leave p.grad as it is. Return None.

    zero_grad(): set every parameter's .grad to None (not zeros: Adam moves a parameter whose
    gradient is zero, but skips one that has none).

    Write it without torch.optim.Adam or AdamW (subclassing torch.optim.Optimizer is fine). It
    follows the same trajectory as torch.optim.AdamW(params, lr, betas, eps, weight_decay).
    """

    def __init__(self, params: Iterable[torch.Tensor], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        raise NotImplementedError("12_optimizers/adamw: your code goes here (see the docstring)")

    def step(self) -> None:
        raise NotImplementedError("12_optimizers/adamw: your code goes here (see the docstring)")

    def zero_grad(self) -> None:
        raise NotImplementedError("12_optimizers/adamw: your code goes here (see the docstring)")
