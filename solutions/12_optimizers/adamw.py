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
        ### BEGIN SOLUTION
        self.params = list(params)
        if not self.params:
            raise ValueError("params is empty: there is nothing to optimize")
        if lr < 0:
            raise ValueError(f"lr must be at least 0, got {lr}")
        if eps < 0:
            raise ValueError(f"eps must be at least 0, got {eps}")
        for beta in betas:
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"each beta must be in [0, 1), got {betas}")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be at least 0, got {weight_decay}")
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.state = [{"t": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)}
                      for p in self.params]
        ### END SOLUTION

    def step(self) -> None:
        ### BEGIN SOLUTION
        beta1, beta2 = self.betas
        with torch.no_grad():
            for p, state in zip(self.params, self.state, strict=True):
                if p.grad is None:
                    continue
                g = p.grad
                p.mul_(1 - self.lr * self.weight_decay)
                state["t"] += 1
                t = state["t"]
                state["m"].mul_(beta1).add_(g, alpha=1 - beta1)
                state["v"].mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m_hat = state["m"] / (1 - beta1**t)
                v_hat = state["v"] / (1 - beta2**t)
                p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))
        ### END SOLUTION

    def zero_grad(self) -> None:
        ### BEGIN SOLUTION
        for p in self.params:
            p.grad = None
        ### END SOLUTION
