# mutant: uses torch.cos and returns a 0-d tensor
# expect: returned a tensor
import math

import torch


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0:
        raise ValueError("step must be at least 0")
    if not 0 <= warmup_steps < total_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step <= total_steps:
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        angle = torch.tensor(math.pi * progress, dtype=torch.float64)
        return min_lr + (base_lr - min_lr) * (1 + torch.cos(angle)) / 2
    return min_lr
