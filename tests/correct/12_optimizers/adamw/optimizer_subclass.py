# style: a torch.optim.Optimizer subclass with weight_decay in its defaults, m and v by lerp_
"""Kata 12_optimizers/adamw as a torch.optim.Optimizer."""

import torch
from torch.optim import Optimizer


class AdamW(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        for name, value in (("lr", lr), ("eps", eps), ("weight_decay", weight_decay)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0")
        for beta in betas:
            if beta < 0 or beta >= 1:
                raise ValueError("betas must lie in [0, 1)")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        with torch.no_grad():
            for group in self.param_groups:
                lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    st = self.state[p]
                    if len(st) == 0:
                        st["t"], st["m"], st["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                    st["t"] += 1
                    p.mul_(1 - lr * wd)
                    st["m"].lerp_(p.grad, 1 - beta1)
                    st["v"].lerp_(p.grad * p.grad, 1 - beta2)
                    m_hat = st["m"] / (1 - beta1 ** st["t"])
                    v_hat = st["v"] / (1 - beta2 ** st["t"])
                    p.add_(-lr * m_hat / (v_hat.sqrt() + eps))
