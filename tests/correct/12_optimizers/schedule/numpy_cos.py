# style: numpy's cos and pi, the result wrapped in float()
"""Kata 12_optimizers/schedule with numpy."""

import numpy as np


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps <= warmup_steps:
        raise ValueError("bad schedule")
    if step < warmup_steps:
        return float(np.float64(base_lr) * step / warmup_steps)
    if step > total_steps:
        return float(min_lr)
    fraction = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1.0 + np.cos(np.pi * fraction)))
