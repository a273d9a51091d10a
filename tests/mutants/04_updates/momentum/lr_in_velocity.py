# mutant: folds lr into the velocity (v ← μv + lr·grad, p ← p − v): right params from zeros, wrong velocities
# expect: folded lr into the velocity
import torch


def momentum_step_(params: list[torch.Tensor], velocities: list[torch.Tensor], lr: float,
                   momentum: float) -> None:
    with torch.no_grad():
        for i, p in enumerate(params):
            velocities[i] = momentum * velocities[i] + lr * p.grad
            p.sub_(velocities[i])
            p.grad = None
