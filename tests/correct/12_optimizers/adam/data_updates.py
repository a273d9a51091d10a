# style: p.data updates, lazy state keyed by position, new m and v tensors each step
"""Kata 12_optimizers/adam, with .data and fresh tensors."""

import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params]
        if len(self.params) == 0:
            raise ValueError("no parameters")
        if lr < 0 or eps < 0 or min(betas) < 0 or max(betas) >= 1:
            raise ValueError("bad hyperparameters")
        self.lr = lr
        self.b1, self.b2 = betas
        self.eps = eps
        self.m, self.v, self.t = {}, {}, {}

    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            g = p.grad.data
            if i not in self.t:
                self.t[i], self.m[i], self.v[i] = 0, torch.zeros_like(p.data), torch.zeros_like(p.data)
            self.t[i] = self.t[i] + 1
            self.m[i] = self.b1 * self.m[i] + (1 - self.b1) * g
            self.v[i] = self.b2 * self.v[i] + (1 - self.b2) * g**2
            m_hat = self.m[i] / (1 - self.b1 ** self.t[i])
            v_hat = self.v[i] / (1 - self.b2 ** self.t[i])
            p.data = p.data - self.lr * m_hat / (torch.sqrt(v_hat) + self.eps)

    def zero_grad(self):
        for p in self.params:
            p.grad = None
