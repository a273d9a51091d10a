# mutant: forgets the outer square, so the "loss" goes negative past the root
# expect: without the outer square
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    return n - guess**2
