# style: no third branch: the progress is clamped to 1, so every step after total_steps gives min_lr
"""Kata 12_optimizers/schedule with a clamped progress."""

import math


def warmup_cosine_lr(step: int, base_lr: float, warmup_steps: int, total_steps: int,
                     min_lr: float = 0.0) -> float:
    if not (step >= 0 and 0 <= warmup_steps < total_steps):
        raise ValueError(f"invalid arguments: step={step}, warmup={warmup_steps}, total={total_steps}")
    if warmup_steps > 0 and step < warmup_steps:
        return step / warmup_steps * base_lr
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    cosine = 0.5 * (1.0 + math.cos(math.pi * progress))
    return min_lr + (base_lr - min_lr) * cosine
