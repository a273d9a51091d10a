# mutant: never clears the gradients, so backward() accumulates onto them
# expect: accumulat
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            v.mul_(momentum).add_(p.grad)
            p.sub_(lr * v)
