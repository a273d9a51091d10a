# mutant: moves the parameter with the velocity before updating it
# expect: old velocity
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            p.sub_(lr * v)
            v.mul_(momentum).add_(p.grad)
            p.grad.zero_()
