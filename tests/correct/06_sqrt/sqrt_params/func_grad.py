# style: torch.func.grad with argnums=(0, 1) over a loss function of (scale, shift)
import torch
from torch.func import grad


def sqrt_shift(n: float, input_val: float, lr: float, steps: int) -> float:
    def loss(shift):
        return (n - (input_val + shift) ** 2) ** 2

    shift = torch.tensor(1.0, dtype=torch.float64)
    for _ in range(steps):
        shift = shift - lr * grad(loss)(shift)
    return float(input_val + shift)


def sqrt_shift_scale(n: float, input_val: float, lr: float, steps: int) -> float:
    def loss(scale, shift):
        return (n - (input_val * scale + shift) ** 2) ** 2

    scale = shift = torch.tensor(1.0, dtype=torch.float64)
    for _ in range(steps):
        d_scale, d_shift = grad(loss, argnums=(0, 1))(scale, shift)
        scale, shift = scale - lr * d_scale, shift - lr * d_shift
    return float(input_val * scale + shift)
