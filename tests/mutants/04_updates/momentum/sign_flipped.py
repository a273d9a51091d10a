# mutant: adds the velocity to the parameters, stepping uphill
# expect: sign is flipped
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            v.mul_(momentum).add_(p.grad)
            p.add_(lr * v)
            p.grad = None
