# style: v.copy_(μ·v + grad) and p -= lr * v under no_grad, in a helper per pair
import torch


def _heavy_ball(p, v, lr, momentum):
    with torch.no_grad():
        v.copy_(momentum * v + p.grad)
        p -= lr * v
    p.grad = None


def momentum_step_(params, velocities, lr: float, momentum: float) -> None:
    for pair in zip(params, velocities, strict=True):
        _heavy_ball(*pair, lr, momentum)
