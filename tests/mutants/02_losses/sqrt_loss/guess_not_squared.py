# mutant: compares the guess itself with n, forgetting to square it
# expect: square the guess before comparing it with n
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    return (n - guess) ** 2
