# mutant: an exponential moving average of the gradient instead of the heavy ball
# expect: (1 − μ)
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for p, v in zip(params, velocities, strict=True):
            v.mul_(momentum).add_((1 - momentum) * p.grad)
            p.sub_(lr * v)
            p.grad = None
