# mutant: adds eps inside the square root, sqrt(v_hat + eps)
# expect: inside the square root
import torch


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        if not self.params:
            raise ValueError("params is empty")
        if lr < 0 or eps < 0:
            raise ValueError("lr and eps must be at least 0")
        if not all(0.0 <= beta < 1.0 for beta in betas):
            raise ValueError("each beta must be in [0, 1)")
        self.lr, self.betas, self.eps = lr, betas, eps
        self.state = [{"t": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in self.params]

    def step(self):
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
                p.sub_(self.lr * m_hat / (v_hat + self.eps).sqrt())

    def zero_grad(self):
        for p in self.params:
            p.grad = None
