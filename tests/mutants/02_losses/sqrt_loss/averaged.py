# mutant: averages the losses into one number, where one loss per element is asked for
# expect: did you reduce
import torch


def sqrt_loss(guess: torch.Tensor, n: float) -> torch.Tensor:
    return ((n - guess**2) ** 2).mean()
