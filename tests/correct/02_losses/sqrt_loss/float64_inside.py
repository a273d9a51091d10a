# style: float64 internals, cast back with .to(guess.dtype) (still differentiable)
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    g = guess.to(torch.float64)
    return ((n - g**2) ** 2).to(guess.dtype)
