"""Kata 12_optimizers/schedule: a learning rate that warms up linearly, then follows a cosine."""

import math  # noqa: F401 - the stub does not use it yet; your solution will


def warmup_cosine_lr(step: int, base_lr: float, warmup_steps: int, total_steps: int,
                     min_lr: float = 0.0) -> float:
    """The learning rate for update number `step` (counted from 0, as torch's LambdaLR counts).

    - Warm-up, while step < warmup_steps: base_lr * step / warmup_steps, a straight line from 0
      at step 0 (so the first update does not move at all).
    - Cosine, for warmup_steps <= step <= total_steps: with
      progress = (step - warmup_steps) / (total_steps - warmup_steps), going from 0 to 1,
          min_lr + (base_lr - min_lr) * (1 + cos(pi * progress)) / 2,
      which is base_lr at the end of the warm-up and min_lr at total_steps.
    - After total_steps: min_lr.

    Return a Python float; the function is pure (it depends only on its arguments). Raise
    ValueError unless step >= 0 and 0 <= warmup_steps < total_steps.

    With warmup_steps = 0 this is torch's CosineAnnealingLR(T_max=total_steps, eta_min=min_lr),
    and LambdaLR(opt, lambda s: warmup_cosine_lr(s, 1.0, w, T, min_lr / base_lr)) drives an
    optimizer with it.
    """
    raise NotImplementedError("12_optimizers/schedule: your code goes here (see the docstring)")
