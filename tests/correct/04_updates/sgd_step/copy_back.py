# style: out-of-place arithmetic copied back with p.copy_() under no_grad, gradient replaced by zeros
import torch


def _step_one(p: torch.Tensor, lr: float) -> None:
    with torch.no_grad():
        p.copy_(p - lr * p.grad)
    p.grad = torch.zeros_like(p)


def sgd_step_(params, lr: float) -> None:
    for p in [q for q in params if q.grad is not None]:
        _step_one(p, lr)
