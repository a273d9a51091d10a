# style: float64 internals on a detached copy, cast back to guess's dtype
import torch


def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    g = guess.detach().to(torch.float64)
    return (-4 * g * (n - g**2)).to(guess.dtype)
