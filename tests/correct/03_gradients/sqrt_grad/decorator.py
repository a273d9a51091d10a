# style: @torch.no_grad() as a decorator, the sign moved into (g² − n), guess * guess
import torch


@torch.no_grad()
def sqrt_loss_grad(guess: torch.Tensor, n: float) -> torch.Tensor:
    return 4 * guess * (guess * guess - n)
