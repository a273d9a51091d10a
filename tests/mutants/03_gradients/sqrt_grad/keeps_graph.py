# mutant: right numbers, but autograd records them when guess requires grad
# expect: autograd graph
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    return -4 * guess * (n - guess**2)
