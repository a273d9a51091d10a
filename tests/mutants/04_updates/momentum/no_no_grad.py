# mutant: updates the parameters in place without torch.no_grad()
# expect: leaf
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    for p, v in zip(params, velocities, strict=True):
        v.mul_(momentum).add_(p.grad)
        p -= lr * v
        p.grad = None
