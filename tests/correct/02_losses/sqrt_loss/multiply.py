# style: guess * guess instead of a power, torch.square outside
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    return torch.square(n - guess * guess)
