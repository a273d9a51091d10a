# style: the decay folded into the update from the old p, p - lr*(adam step + wd*p), then copy_
"""Kata 12_optimizers/adamw, the decay as one more term of the update."""

import torch


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.params = list(params)
        if not self.params:
            raise ValueError("empty params")
        if lr < 0:
            raise ValueError("lr < 0")
        if eps < 0:
            raise ValueError("eps < 0")
        if not all(0 <= b < 1 for b in betas):
            raise ValueError("beta outside [0, 1)")
        if weight_decay < 0:
            raise ValueError("weight_decay < 0")
        self.lr, self.betas, self.eps, self.wd = lr, betas, eps, weight_decay
        self.state = [None] * len(self.params)

    def step(self):
        b1, b2 = self.betas
        with torch.no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                if self.state[i] is None:
                    self.state[i] = [0, torch.zeros_like(p), torch.zeros_like(p)]
                t, m, v = self.state[i]
                t += 1
                m = b1 * m + (1 - b1) * p.grad
                v = b2 * v + (1 - b2) * p.grad * p.grad
                self.state[i] = [t, m, v]
                update = (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + self.eps) + self.wd * p
                p.copy_(p - self.lr * update)

    def zero_grad(self):
        for p in self.params:
            p.grad = None
