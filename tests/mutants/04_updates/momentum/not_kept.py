# mutant: rebinds the loop variable v, so the caller's velocities never change (plain SGD)
# expect: velocities are not kept
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            v = momentum * v + p.grad
            p -= lr * v
            p.grad = None
