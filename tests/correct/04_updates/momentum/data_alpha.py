# style: p.data.add_(v, alpha=-lr), v updated with mul_ and add_, p.grad.zero_()
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    for p, v in zip(params, velocities, strict=True):
        v.mul_(momentum).add_(p.grad)
        p.data.add_(v, alpha=-lr)
        p.grad.zero_()
