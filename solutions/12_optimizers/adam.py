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
        self.lr, self.betas, self.eps = lr, betas, eps
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
